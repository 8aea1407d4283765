package io.waymark.catalog.cli;

import io.micronaut.context.ApplicationContext;
import io.waymark.catalog.ingest.IngestService;
import io.waymark.catalog.projection.Projector;

import java.io.PrintStream;
import java.nio.file.Path;

/** Lets tests run the import command against the shared test server's beans. */
public final class ImportCommandAccess {
    private ImportCommandAccess() {}

    public static int importFile(Path file, ApplicationContext context, PrintStream out) throws Exception {
        return ImportCommand.importFile(file, context.getBean(IngestService.class), context.getBean(Projector.class), out);
    }
}
