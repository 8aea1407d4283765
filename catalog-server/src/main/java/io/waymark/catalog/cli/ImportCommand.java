package io.waymark.catalog.cli;

import io.waymark.catalog.audit.AuditLog;
import io.micronaut.context.ApplicationContext;
import io.waymark.catalog.ingest.BatchResult;
import io.waymark.catalog.ingest.IngestService;
import io.waymark.catalog.projection.Projector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code waymark import FILE.ndjson}: appends events through the same checks as the HTTP API,
 * in chunks, showing progress; reports refused lines by number. Exit 0 when every line was
 * accepted, 3 when some were refused, 66 when the file cannot be read.
 */
public final class ImportCommand {
    private static final int CHUNK = 500;

    private ImportCommand() {}

    public static int run(List<String> args, Map<String, Object> props) throws Exception {
        if (args.size() != 1) {
            System.err.println("usage: java -jar waymark.jar import FILE.ndjson [--data-dir DIR]");
            return 64;
        }
        Path file = Path.of(args.get(0));
        if (!Files.isReadable(file)) {
            System.err.println("cannot read " + file);
            return 66;
        }
        try (ApplicationContext context = ApplicationContext.builder().properties(props).start()) {
            return importFile(file, context.getBean(IngestService.class), context.getBean(Projector.class), System.err);
        }
    }

    static int importFile(Path file, IngestService ingest, Projector projector, PrintStream out) throws Exception {
        long total = Files.size(file);
        long read = 0;
        int accepted = 0;
        List<BatchResult.Rejected> rejected = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<String> chunk = new ArrayList<>();
            int firstLine = 0;
            int lineNo = 0;
            String line;
            while (true) {
                line = reader.readLine();
                if (line != null) {
                    chunk.add(line);
                    read += line.getBytes(StandardCharsets.UTF_8).length + 1;
                    lineNo++;
                }
                if (chunk.size() == CHUNK || (line == null && !chunk.isEmpty())) {
                    BatchResult result = ingest.ingestBatch(String.join("\n", chunk).getBytes(StandardCharsets.UTF_8), true,
                            new AuditLog.Entry("cli:" + System.getProperty("user.name", "unknown"), "admin", "lineage.import", file.toString(),
                                    Map.of("lines", chunk.size()), null)).get();
                    accepted += result.accepted();
                    for (BatchResult.Rejected r : result.rejected()) {
                        rejected.add(new BatchResult.Rejected(firstLine + r.index() + 1, r.error(), r.field()));
                    }
                    progress(out, read, total, accepted, rejected.size());
                    chunk.clear();
                    firstLine = lineNo;
                }
                if (line == null) {
                    break;
                }
            }
        } catch (IOException e) {
            out.println("\ncannot read " + file + ": " + e.getMessage());
            return 66;
        }
        out.println();
        out.print("projecting into the graph… ");
        projector.awaitCaughtUp(Duration.ofHours(6));
        out.println("done");
        for (BatchResult.Rejected r : rejected) {
            out.println("line " + r.index() + ": " + (r.field() == null || r.field().isEmpty() ? "" : r.field() + ": ") + r.error());
        }
        out.println("imported " + accepted + " events, refused " + rejected.size() + " lines");
        return rejected.isEmpty() ? 0 : 3;
    }

    private static void progress(PrintStream out, long read, long total, int accepted, int rejected) {
        int width = 30;
        int filled = total == 0 ? width : (int) Math.min(width, width * read / total);
        out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] "
                + (total == 0 ? 100 : Math.min(100, 100 * read / total)) + "%  " + accepted + " accepted, " + rejected + " refused");
        out.flush();
    }
}
