package io.waymark.catalog.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.waymark.catalog.Events;
import io.waymark.catalog.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.summary.ProfiledPlan;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A page of a namespace's datasets or jobs costs the page, not the namespace: sorted by name
 * alone, a five-row page of a namespace of 177,000 datasets read and sorted every one of them.
 * The pages are read in the (namespace, name) index's order; the profile of each page query
 * shows how many rows it touched.
 */
class NamespacePagesTest {
    private static final TestServer server = TestServer.get();
    private static final int DATASETS = 1500;
    private static final int JOBS = 60;
    private static String ns;

    @BeforeAll
    static void aBigNamespace() {
        ns = Events.ns();
        String[] outputs = new String[DATASETS];
        for (int i = 0; i < DATASETS; i++) {
            outputs[i] = String.format("t_%05d", DATASETS - i);
        }
        StringBuilder batch = new StringBuilder("[");
        batch.append(Events.complete(ns, "load", new String[0], outputs, "2025-01-01T00:00:00Z"));
        for (int i = 0; i < JOBS; i++) {
            batch.append(',').append(Events.complete(ns, String.format("job_%03d", JOBS - i), new String[] {"t_00001"}, new String[0], "2025-01-01T00:00:00Z"));
        }
        var posted = server.postJson("/api/v1/lineage/batch", batch.append(']').toString());
        assertTrue(posted.statusCode() / 100 == 2, posted.statusCode() + " " + posted.body());
        server.awaitProjection();
    }

    @Test
    void aPageOfDatasetsReadsThePageInNameOrder() {
        JsonNode page = server.getJson("/api/v1/namespaces/" + enc(ns) + "/datasets?limit=5&offset=10");
        List<String> names = new ArrayList<>();
        page.path("datasets").forEach(d -> names.add(d.path("name").asText()));
        assertEquals(List.of("t_00011", "t_00012", "t_00013", "t_00014", "t_00015"), names);
        assertEquals(DATASETS, page.path("totalCount").asInt());
        long rows = rowsTouched(CatalogService.DATASETS, Map.of("ns", ns, "deleted", false, "offset", 10, "limit", 5));
        assertTrue(rows < 100, "rows touched for a page of 5 at offset 10 in a namespace of " + DATASETS + ": " + rows);
    }

    @Test
    void aPageOfJobsReadsThePageInNameOrder() {
        JsonNode page = server.getJson("/api/v1/namespaces/" + enc(ns) + "/jobs?limit=3");
        List<String> names = new ArrayList<>();
        page.path("jobs").forEach(j -> names.add(j.path("name").asText()));
        assertEquals(List.of("job_001", "job_002", "job_003"), names);
        Map<String, Object> params = new HashMap<>(Map.of("ns", ns, "deleted", false, "offset", 0, "limit", 3));
        params.put("ioCap", Views.IO_CAP + 1);
        params.put("runIoCap", Views.EMBEDDED_RUN_IO_CAP + 1);
        long rows = rowsTouched(CatalogService.JOBS, params);
        assertTrue(rows < JOBS, "rows touched for a page of 3 jobs in a namespace of " + (JOBS + 1) + ": " + rows);
    }

    /** The rows the query's leaf operators (its index seeks and scans) produced. */
    private static long rowsTouched(String query, Map<String, Object> params) {
        Driver driver = server.context.getBean(Driver.class);
        try (var session = driver.session()) {
            ProfiledPlan plan = session.executeRead(tx -> tx.run("PROFILE " + query, params).consume().profile());
            return leafRows(plan);
        }
    }

    private static long leafRows(ProfiledPlan plan) {
        if (plan.children().isEmpty()) {
            return plan.records();
        }
        long rows = 0;
        for (ProfiledPlan child : plan.children()) {
            rows += leafRows(child);
        }
        return rows;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
