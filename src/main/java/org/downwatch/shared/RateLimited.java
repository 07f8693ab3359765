package org.downwatch.shared;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An endpoint of the public API that draws on a client's rate-limit budget (the filter is
 * {@code api.ApiRateLimit}). Report submissions are not marked: the report feature limits them per
 * reporter network itself.
 */
@NameBinding
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface RateLimited {

    Budget value() default Budget.READ;

    enum Budget {
        READ,
        /** Backtests, much heavier than a read, have their own smaller budget. */
        BACKTEST
    }
}
