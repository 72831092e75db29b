package dev.vigil.playbook;

/** Quotes untrusted text for messages: escapes quotes and control characters, keeps at most 80 characters. */
final class Quote {
    static final int MAX = 80;

    private Quote() {
    }

    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        boolean cut = text.length() > MAX;
        String head = text;
        if (cut) {
            int end = MAX;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            head = text.substring(0, end);
        }
        StringBuilder sb = new StringBuilder(head.length() + 8).append('"');
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (isUnsafe(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
        if (cut) {
            sb.append("…");
        }
        return sb.toString();
    }

    /** Control characters, and the invisible ones that can make a message read differently from what it says. */
    static boolean isUnsafe(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                || c == 0xfeff;
    }

    static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isUnsafe(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
