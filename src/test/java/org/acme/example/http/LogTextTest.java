package org.acme.example.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void everyControlCharacterIsEscaped() {
        for (char c = 0; c < 0xA0; c++) {
            boolean control = c < 0x20 || (c >= 0x7F && c < 0xA0);
            String escaped = LogText.escape("/fault" + c);
            assertEquals(control ? "/fault" + String.format("\\u%04x", (int) c) : "/fault" + (c == '\\' ? "\\\\" : c),
                    escaped, "character " + (int) c);
        }
    }

    @Test
    void lineSeparatorsAndBackslashesToo() {
        assertEquals("a\\u2028b\\u2029c\\\\d", LogText.escape("a\u2028b\u2029c\\d"));
        assertEquals("/fault?x=1", LogText.escape("/fault?x=1"));
        assertEquals("\\u001b[31m\\u0008\\u0085", LogText.escape("\u001b[31m\b\u0085"));
    }
}
