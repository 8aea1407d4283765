package io.waymark.catalog.cli;

import io.micronaut.context.ApplicationContext;
import io.waymark.catalog.projection.Projector;

import java.util.Map;

/** {@code waymark rebuild}: empties the graph and replays the journal; the graph is a function of the journal. */
public final class RebuildCommand {
    private RebuildCommand() {}

    public static int run(Map<String, Object> props) throws Exception {
        try (ApplicationContext context = ApplicationContext.builder().properties(props).start()) {
            long started = System.nanoTime();
            Projector projector = context.getBean(Projector.class);
            System.err.println("rebuilding the graph from the journal…");
            projector.rebuild();
            System.err.printf("rebuilt up to journal event %d in %d ms%n", projector.watermark(), (System.nanoTime() - started) / 1_000_000);
            return 0;
        }
    }
}
