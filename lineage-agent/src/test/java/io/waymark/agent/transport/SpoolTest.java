package io.waymark.agent.transport;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpoolTest {
    @Test
    void keepsEventsInOrderWholeAndBounded() throws Exception {
        Path dir = Files.createTempDirectory("spool");
        Spool spool = new Spool(dir, 100);
        assertTrue(spool.add("{\"n\":1}"));
        assertTrue(spool.add("{\"n\":2}"));
        List<Path> pending = spool.pending();
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), List.of(Spool.read(pending.get(0)), Spool.read(pending.get(1))));
        assertFalse(spool.add("x".repeat(200)), "past the bound new events are dropped, not the disk filled");
        assertEquals(1, spool.dropped());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no half-written files");
        }
        spool.remove(pending.get(0));
        assertEquals(1, spool.pending().size());
    }
}
