package io.waymark.catalog.projection;

import org.neo4j.driver.Session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.waymark.catalog.projection.GraphWriter.byValue;
import static io.waymark.catalog.projection.GraphWriter.run;

/**
 * A batch with more datasets or run inputs and outputs than {@link #chunkRows} (one event reading
 * 64,000 tables) writes its datasets, then its job and runs, then its runs' edges to them, then the
 * FEEDS edges they derive, in transactions of that many rows, before its own transaction
 * ({@link GraphWriter#write}) writes the rest. Written in one transaction, the event's new nodes,
 * edges and index entries stayed in its state for 40 s and young collections copied them again and
 * again: pauses of 100–1,200 ms for every thread, {@code /health}'s too (BENCHMARKS.md). Every
 * statement is idempotent, so the batch's own transaction runs the small ones again, and a crash in
 * between leaves the replay to write them again. Until the batch's transaction commits, readers of
 * the graph may see part of the event (its datasets, some of its runs' edges); the lineage views
 * and the watermark switch with the batch's commit as always.
 */
final class WriteAhead {
    /** Rows a statement of a huge batch writes to one transaction; lowered by tests, which compare a batch written in pieces with one written whole. */
    static volatile int chunkRows = 5_000;

    /** What a huge batch wrote ahead of its own transaction: its graph facts as they were before. */
    record Ahead(LineageFacts factsBefore) {}

    private WriteAhead() {}

    /** Writes a huge batch's pieces ahead; null for a batch written whole. */
    static Ahead write(Session session, ProjectionBatch batch) {
        int chunk = chunkRows;
        // Raw rows are at least as many as the folded ones: most batches stop here without folding.
        if (batch.datasets.size() <= chunk && batch.runIo.size() <= chunk) {
            return null;
        }
        List<Map<String, Object>> datasets = BatchFolding.datasets(batch.datasets);
        if (datasets.size() <= chunk && batch.runIo.size() <= chunk) {
            return null;
        }
        LineageFacts facts = session.executeRead(tx -> GraphWriter.factsBefore(tx, batch));
        inPieces(session, GraphWriter.DATASETS, datasets, chunk);
        session.executeWriteWithoutResult(tx -> {
            run(tx, GraphWriter.NAMESPACES, GraphWriter.namespaceRows(batch.namespaceTimes));
            run(tx, GraphWriter.JOBS, batch.jobs);
            run(tx, GraphWriter.RUNS, batch.runs);
        });
        List<Map<String, Object>> reads = byValue(batch.runIo, "dir", "READ");
        inPieces(session, GraphWriter.RUN_IO.formatted("READ", "READS"), reads, chunk);
        inPieces(session, GraphWriter.RUN_IO.formatted("WROTE", "WRITES"), byValue(batch.runIo, "dir", "WROTE"), chunk);
        for (List<Map<String, Object>> part : feedsPieces(reads, chunk)) {
            session.executeWriteWithoutResult(tx -> run(tx, DerivedState.FEEDS_FROM_INPUTS, part));
        }
        return new Ahead(facts);
    }

    /**
     * The FEEDS rows of this batch's jobs (a job and some of its runs' inputs), packed into
     * transactions of about {@code chunk} inputs: a job with 64,000 inputs is split, and 500 jobs
     * reading 11 tables each share two (a transaction per job made such batches 41% slower to
     * project than written whole, BENCHMARKS.md).
     */
    private static List<List<Map<String, Object>>> feedsPieces(List<Map<String, Object>> reads, int chunk) {
        Map<Object, Set<Object>> inputs = new LinkedHashMap<>();
        reads.forEach(row -> inputs.computeIfAbsent(row.get("jobKey"), k -> new LinkedHashSet<>()).add(row.get("dsKey")));
        List<List<Map<String, Object>>> pieces = new ArrayList<>();
        List<Map<String, Object>> piece = new ArrayList<>();
        int size = 0;
        for (Map.Entry<Object, Set<Object>> job : inputs.entrySet()) {
            for (List<Object> part : pieces(List.copyOf(job.getValue()), chunk)) {
                if (size > 0 && size + part.size() > chunk) {
                    pieces.add(piece);
                    piece = new ArrayList<>();
                    size = 0;
                }
                piece.add(Map.of("job", job.getKey(), "inputs", part));
                size += part.size();
            }
        }
        if (!piece.isEmpty()) {
            pieces.add(piece);
        }
        return pieces;
    }

    private static void inPieces(Session session, String statement, List<Map<String, Object>> rows, int chunk) {
        for (List<Map<String, Object>> part : pieces(rows, chunk)) {
            session.executeWriteWithoutResult(tx -> run(tx, statement, part));
        }
    }

    private static <T> List<List<T>> pieces(List<T> all, int size) {
        List<List<T>> pieces = new ArrayList<>();
        for (int from = 0; from < all.size(); from += size) {
            pieces.add(all.subList(from, Math.min(all.size(), from + size)));
        }
        return pieces;
    }
}
