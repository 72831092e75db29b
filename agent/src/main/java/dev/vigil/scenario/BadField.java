package dev.vigil.scenario;

/** A problem in one JSON line, before the reader adds the file and line. Not shared between threads. */
final class BadField extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason {@code field: what is wrong}, already safe to print */
    BadField(String reason) {
        super(reason, null, false, false);
    }

    static BadField at(String path, String what) {
        return new BadField(path.isEmpty() ? what : path + ": " + what);
    }
}
