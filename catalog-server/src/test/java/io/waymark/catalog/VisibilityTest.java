package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A projection batch becomes visible all at once: a lineage read that finds a job finds the edges
 * the same event gave it (the graph commit and the in-memory lineage index switch together).
 */
class VisibilityTest {
    private final TestServer server = TestServer.get();

    @Test
    void aJobIsNeverSeenWithoutTheEdgesOfItsOwnEvent() throws Exception {
        String ns = Events.ns();
        int events = 60;
        AtomicInteger posted = new AtomicInteger(-1);
        AtomicBoolean done = new AtomicBoolean();
        List<String> torn = new CopyOnWriteArrayList<>();
        AtomicInteger seen = new AtomicInteger();
        // The reader asks for each job from the moment it was posted until it appears, so it looks
        // right at the moment of its batch's commit.
        Thread reader = new Thread(() -> {
            int next = 0;
            while (!done.get() && next < events) {
                if (next > posted.get()) {
                    continue;
                }
                HttpResponse<String> r = server.get("/api/v1/lineage?depth=1&nodeId=" + TestServer.enc("job:" + ns + ":job" + next));
                if (r.statusCode() != 200) {
                    continue;
                }
                seen.incrementAndGet();
                for (JsonNode node : TestServer.parse(r.body()).path("graph")) {
                    if (node.path("id").asText().equals("job:" + ns + ":job" + next)
                            && (node.path("inEdges").isEmpty() || node.path("outEdges").isEmpty())) {
                        torn.add("job" + next + ": " + node);
                    }
                }
                next++;
            }
        });
        reader.start();
        for (int i = 0; i < events; i++) {
            server.postJson("/api/v1/lineage", Events.complete(ns, "job" + i, new String[] {"in" + i}, new String[] {"out" + i}, "2025-01-01T00:00:00Z").toString());
            posted.set(i);
            Thread.sleep(15);
        }
        server.awaitProjection();
        reader.join(60_000);
        done.set(true);
        reader.join();
        assertTrue(seen.get() == events, "the reader saw every job appear: " + seen.get());
        assertTrue(torn.isEmpty(), torn.size() + " reads found a job without its edges, e.g. " + torn.stream().limit(2).toList());
    }
}
