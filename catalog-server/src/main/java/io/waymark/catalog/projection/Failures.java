package io.waymark.catalog.projection;

import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.RetryableException;

/**
 * Tells a bad event from a bad moment. Only a failure that the event itself causes, the same way
 * every time, may set the event aside; everything else (shutdown, interruption, a lost or
 * expired connection, a busy or restarting database, a failing listener) leaves the watermark
 * where it is, so the event is applied once the moment has passed.
 */
final class Failures {
    private Failures() {}

    /** The event's payload cannot be turned into graph writes: the same on every attempt. */
    static final class UnreadableEvent extends RuntimeException {
        UnreadableEvent(long id, Exception cause) {
            super("cannot read journal event " + id + ": " + cause.getMessage(), cause);
        }
    }

    /**
     * Whether this failure is the event's own. Neo4j's client errors of the statement and schema
     * classes (a type the statement cannot take, a constraint the data breaks) repeat for the same
     * input; its transient, database and connection errors, and anything the driver raises about
     * its own state (an interrupted retry is an {@link IllegalStateException}), do not.
     */
    static boolean causedByEvent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof RetryableException) {
                return false;
            }
        }
        if (failure instanceof UnreadableEvent) {
            return true;
        }
        if (failure instanceof ClientException client) {
            String code = client.code() == null ? "" : client.code();
            return code.startsWith("Neo.ClientError.Statement.") || code.startsWith("Neo.ClientError.Schema.");
        }
        return false;
    }

    static String message(Throwable e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        return message.length() > 2000 ? message.substring(0, 2000) : message;
    }
}
