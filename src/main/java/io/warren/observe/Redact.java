package io.warren.observe;

/** Keeps passwords out of log lines, error bodies and health messages. */
public final class Redact {

    private Redact() {
    }

    /** Replaces passwords in URL-like text (user:password@, password=…) with ****. */
    public static String passwords(String text) {
        return text == null ? null : text.replaceAll("(://[^:/@]*):[^@/]*@", "$1:****@")
                .replaceAll("(?i)(password=)[^&;\\s]*", "$1****");
    }
}
