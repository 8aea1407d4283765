package io.waymark.catalog.ingest;

/** An event that is refused, with the HTTP status, the offending field and a human explanation. */
public class InvalidEventException extends Exception {
    private final int status;
    private final String error;
    private final String field;

    public InvalidEventException(int status, String error, String field, String detail) {
        super(detail);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    public static InvalidEventException invalid(String field, String detail) {
        return new InvalidEventException(400, "invalid_event", field, detail);
    }

    /** Something the request names does not exist (404). */
    public static InvalidEventException notFound(String field, String detail) {
        return new InvalidEventException(404, "not_found", field, detail);
    }

    public int status() { return status; }
    public String error() { return error; }
    public String field() { return field; }
    public String detail() { return getMessage(); }
}
