package dev.vigil.content;

import java.util.List;
import java.util.stream.Collectors;

/** Content that cannot be used, with every error found (not just the first). */
public final class ContentException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<ContentError> errors;

    public ContentException(List<ContentError> errors) {
        super(errors.stream().map(ContentError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a content exception needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public ContentException(ContentError error) {
        this(List.of(error));
    }

    public List<ContentError> errors() {
        return errors;
    }
}
