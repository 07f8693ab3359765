package org.downwatch.shared;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A public JSON read: its 200 answers carry an {@code ETag} and {@code Cache-Control: public}, and a
 * matching {@code If-None-Match} gets a 304 (the filter is {@code api.ApiHttpCache}).
 */
@NameBinding
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface PublicCache {

    /** How long a shared cache may keep the answer. */
    Lifetime value() default Lifetime.LIVE;

    enum Lifetime {
        /** Data that changes every minute (status, series, incidents). */
        LIVE,
        /** Data that changes with a migration only (categories). */
        CATALOG
    }
}
