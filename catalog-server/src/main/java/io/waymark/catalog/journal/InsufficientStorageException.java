package io.waymark.catalog.journal;

/** A write refused for lack of disk space: nothing of it was stored, and it may be retried later. */
public class InsufficientStorageException extends RuntimeException {
    public InsufficientStorageException(String message) {
        super(message);
    }

    /** Whether a failure, or one of its causes, is a lack of space (ours, or SQLite's "database or disk is full"). */
    public static boolean isCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InsufficientStorageException || String.valueOf(c.getMessage()).contains("SQLITE_FULL")
                    || String.valueOf(c.getMessage()).contains("disk is full") || String.valueOf(c.getMessage()).contains("No space left")) {
                return true;
            }
        }
        return false;
    }
}
