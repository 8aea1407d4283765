package io.waymark.catalog;

import io.waymark.catalog.cli.ImportCommandAccess;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code waymark import}: every good line lands, refused lines are reported by number, exit code says which. */
class ImportCommandTest {
    private final TestServer server = TestServer.get();

    @Test
    void importsGoodLinesAndReportsBadOnesByLine() throws Exception {
        String ns = Events.ns();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            lines.add(i == 700 ? "{not json" : Events.complete(ns, "job" + i, new String[] {"in"}, new String[] {"out" + i}, "2025-01-01T00:00:00Z").toString());
        }
        lines.add(Events.run("START", "nope", "2025-01-01T00:00:00Z", ns, "x").toString());
        Path file = Files.createTempFile("import", ".ndjson");
        Files.write(file, lines, StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ImportCommandAccess.importFile(file, server.context, new PrintStream(out, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(3, code, report);
        assertTrue(report.contains("line 701: "), report);
        assertTrue(report.contains("line 1201: run.runId: "), report);
        assertTrue(report.contains("imported 1199 events, refused 2 lines"), report);
        assertTrue(report.contains("100%"), report);
        assertEquals(1199, server.getJson("/api/v1/namespaces/" + ns + "/jobs?limit=2000").path("totalCount").asInt());
    }
}
