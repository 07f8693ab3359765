package org.downwatch.shared;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Validators of the API's answers and the pages: a strong {@code ETag} computed from the body as it is
 * sent, and {@code If-None-Match} answered through JAX-RS ({@link Request#evaluatePreconditions(EntityTag)}:
 * {@code *} and lists of tags).
 */
public final class HttpCache {

    private HttpCache() {
    }

    /** The first 162 bits of the body's SHA-256, URL-safe Base64. */
    public static EntityTag etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new EntityTag(Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static EntityTag etag(String body) {
        return etag(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether the client already has the representation tagged {@code etag} (it then gets a 304). RFC 9110
     * compares {@code If-None-Match} weakly, RESTEasy strictly: the tag is tried in both forms, so that a
     * cache that weakened our tag to {@code W/"..."} (a compressing proxy does) still gets its 304.
     */
    public static boolean notModified(Request request, EntityTag etag) {
        return isNotModified(request.evaluatePreconditions(etag))
                || isNotModified(request.evaluatePreconditions(new EntityTag(etag.getValue(), !etag.isWeak())));
    }

    private static boolean isNotModified(Response.ResponseBuilder precondition) {
        return precondition != null && precondition.build().getStatus() == Response.Status.NOT_MODIFIED.getStatusCode();
    }
}
