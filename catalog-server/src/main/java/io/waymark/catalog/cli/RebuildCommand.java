package io.waymark.catalog.cli;

import io.micronaut.context.ApplicationContext;
import io.waymark.catalog.cluster.Leadership;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.projection.Projector;

import java.util.Map;

/** {@code waymark rebuild}: empties the graph and replays the journal; the graph is a function of the journal. */
public final class RebuildCommand {
    private RebuildCommand() {}

    public static int run(Map<String, Object> props) throws Exception {
        try (ApplicationContext context = ApplicationContext.builder().properties(props).start()) {
            if (!context.getBean(Leadership.class).isLeader()) {
                // Replicas on a PostgreSQL journal: the leader's projector writes the graph; two writers would interleave.
                System.err.println("rebuild: a running Waymark replica leads on this journal; stop every replica first");
                return 1;
            }
            long started = System.nanoTime();
            Projector projector = context.getBean(Projector.class);
            long total = context.getBean(Journal.class).read(dao -> dao.maxId());
            System.err.printf("rebuilding the graph from the journal (%,d events)…%n", total);
            try (Progress ignored = new Progress("rebuilding", 0, total, projector::watermark, System.err)) {
                projector.rebuild();
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            System.err.printf("%nrebuilt up to journal event %d in %d ms (%,.0f events/s)%n", projector.watermark(), ms, total * 1000.0 / Math.max(1, ms));
            return 0;
        }
    }
}
