package io.waymark.agent.transport;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EmitterTest {
    private static String event(String type) {
        return "{\"eventType\":\"" + type + "\",\"eventTime\":\"2026-11-22T00:00:00Z\",\"run\":{\"runId\":\"" + UUID.randomUUID()
                + "\"},\"job\":{\"namespace\":\"ns\",\"name\":\"job\"},\"inputs\":[],\"outputs\":[],"
                + "\"producer\":\"https://example.com/test\",\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\"}";
    }

    /**
     * Waymark hangs on the first event; the final event is emitted while close() is waiting for
     * it. The spool must hold them in the order they were produced (it used to put the final event
     * first: it went straight to the spool while the first was still in flight).
     */
    @Test
    void anEventEmittedWhileClosingIsSpooledBehindTheOneInFlight() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket hanging = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(hanging.accept()); // read nothing, answer nothing
                    }
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Path dir = Files.createTempDirectory("emitter");
            Spool spool = new Spool(dir, 1_000_000);
            Emitter emitter = new Emitter(new Sender(URI.create("http://127.0.0.1:" + hanging.getLocalPort()), null, 5_000), spool);
            String start = event("START");
            String complete = event("COMPLETE");
            emitter.emit(null, start);
            Thread.sleep(300); // the worker has taken it and waits for an answer
            Thread closer = new Thread(() -> emitter.close(Duration.ofMillis(1500)));
            closer.start();
            Thread.sleep(300);
            emitter.emit(null, complete);
            closer.join();
            List<String> spooled = new ArrayList<>();
            for (Path p : spool.pending()) {
                spooled.add(Spool.read(p));
            }
            assertEquals(2, spooled.size(), spooled.toString());
            assertEquals(start, spooled.get(0), "the event in flight first");
            assertEquals(complete, spooled.get(1));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
