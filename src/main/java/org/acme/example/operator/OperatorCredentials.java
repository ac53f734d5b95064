package org.acme.example.operator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The one user allowed to change faults when a password is configured: HTTP basic authentication as
 * {@value #USER}. The comparison takes the same time whatever the credentials' content, so that timing tells an
 * attacker nothing about how much of a guess was right.
 */
final class OperatorCredentials {

    static final String USER = "operator";
    /** What a 401 answer asks for (RFC 7617). */
    static final String CHALLENGE = "Basic realm=\"fault-control\", charset=\"UTF-8\"";
    private static final String SCHEME = "basic ";

    private final byte[] expected;

    OperatorCredentials(String password) {
        this.expected = (USER + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether an {@code Authorization} header value (may be null) carries the operator's user and password. */
    boolean accept(String authorization) {
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(SCHEME.length()).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }
}
