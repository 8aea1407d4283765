package io.waymark.catalog.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    @Test
    void saysHowFarHowFastAndHowLong() {
        assertEquals("rebuilding: 10,000 of 40,000 events (25 %), 1,000 events/s, about 30 s left",
                Progress.line("rebuilding", 10_000, 40_000, 10_000_000_000L));
        assertEquals("rebuilding: 40,000 of 40,000 events (100 %), 2,000 events/s", Progress.line("rebuilding", 40_000, 40_000, 20_000_000_000L));
        assertEquals("rebuilding: 0 of 0 events (100 %), 0 events/s", Progress.line("rebuilding", 0, 0, 0));
    }

    @Test
    void printsWhileWorkGoesOnAndStopsWhenClosed() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong position = new AtomicLong(5);
        try (Progress ignored = new Progress("rebuilding", 5, 105, position::get, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            position.set(55);
            // Not a terminal here: one line every ten seconds.
            Thread.sleep(10_500);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("rebuilding: 50 of 100 events (50 %)"), out);
        int length = out.length();
        Thread.sleep(200);
        assertEquals(length, bytes.toString(StandardCharsets.UTF_8).length(), "nothing printed after close");
    }
}
