package org.acme.example.http;

/**
 * Text a client chose (a request path, a method), made safe to put in a log line: every control character (C0, DEL
 * and C1, such as ESC, backspace, CR, LF and U+0085) and the Unicode line and paragraph separators become a visible
 * {@code \}{@code uXXXX} escape, and a backslash becomes two, so that a client can neither forge log lines nor send
 * escape sequences to an operator's terminal, in plain-text or JSON logs.
 */
public final class LogText {

    private LogText() {
    }

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029' || c == '\\';
            if (unsafe && escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escaped != null) {
                if (c == '\\') {
                    escaped.append("\\\\");
                } else if (unsafe) {
                    escaped.append(String.format("\\u%04x", (int) c));
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped == null ? text : escaped.toString();
    }
}
