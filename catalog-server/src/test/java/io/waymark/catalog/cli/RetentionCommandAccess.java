package io.waymark.catalog.cli;

import io.micronaut.context.ApplicationContext;
import io.waymark.catalog.retention.Retention;

import java.io.PrintStream;

/** Lets tests run the offline retention command against the shared test server's beans. */
public final class RetentionCommandAccess {
    private RetentionCommandAccess() {}

    public static int purge(Retention.Request request, ApplicationContext context, PrintStream out) throws Exception {
        return RetentionCommand.purge(request, context, out);
    }
}
