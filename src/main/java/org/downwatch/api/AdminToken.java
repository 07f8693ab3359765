package org.downwatch.api;

import java.security.MessageDigest;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;

/** The admin endpoints' guard: {@code Authorization: Bearer <downwatch.api.admin-token>}, 403 otherwise. */
final class AdminToken {

    /** The actor recorded in the audit trail for a caller holding the admin token. */
    static final String ACTOR = "admin-token";

    private AdminToken() {
    }

    static void require(ApiConfig config, String authorization) {
        String token = config.adminToken().filter(t -> !t.isBlank()).orElse(null);
        if (token == null) {
            throw forbidden("Admin endpoints are disabled: no admin token is configured (downwatch.api.admin-token)");
        }
        String given = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : "";
        // compare digests in constant time: the token's length and content do not leak through timing
        if (!MessageDigest.isEqual(ApiKeys.sha256(given), ApiKeys.sha256(token))) {
            throw forbidden("A valid admin token is required (Authorization: Bearer <token>)");
        }
    }

    /**
     * Who the audit trail names: the admin token, and the name the caller gives in {@code X-Downwatch-Actor}
     * (the token holder's word: one token is shared by the operators who hold it).
     */
    static String actor(String declared) {
        if (declared == null || declared.isBlank()) {
            return ACTOR;
        }
        String name = declared.strip().replaceAll("\\p{Cntrl}", "");
        return ACTOR + " (" + (name.length() > 100 ? name.substring(0, 100) : name) + ")";
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "Forbidden", detail));
    }
}
