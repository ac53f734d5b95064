package org.acme.example.operator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OperatorCredentialsTest {

    private final OperatorCredentials operator = new OperatorCredentials("pa:ss wörd");

    @ParameterizedTest
    @ValueSource(strings = { "Basic ", "basic ", "BASIC " })
    void acceptsTheOperatorsUserAndPasswordInAnySchemeCase(String scheme) {
        assertTrue(operator.accept(scheme + encode("operator:pa:ss wörd")));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "Basic",
            "Basic ",
            "Basic !!not-base64!!",
            "Bearer b3BlcmF0b3I6cGE6c3Mgd8O2cmQ=",
            "b3BlcmF0b3I6cGE6c3Mgd8O2cmQ=" })
    void refusesMalformedHeaders(String header) {
        assertFalse(operator.accept(header));
    }

    @ParameterizedTest
    @ValueSource(strings = { "operator:wrong", "operator:pa:ss wörd ", "operator:", "admin:pa:ss wörd",
            "Operator:pa:ss wörd", ":pa:ss wörd", "operator:pa:ss w" })
    void refusesAnyOtherUserOrPassword(String userAndPassword) {
        assertFalse(operator.accept("Basic " + encode(userAndPassword)));
    }

    private static String encode(String userAndPassword) {
        return Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }
}
