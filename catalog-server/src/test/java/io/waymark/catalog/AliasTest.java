package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.waymark.catalog.TestServer.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A symlink alias (the catalog table Spark declares for a file path) leads to the dataset it
 * names: its page says so, lineage by its id is the physical dataset's, and search lists the
 * physical dataset once with its aliases, exact and prefix matches first.
 */
class AliasTest {
    private static final TestServer server = TestServer.get();
    private static final String FILES = "file-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String TABLES = "tables-" + UUID.randomUUID().toString().substring(0, 8);
    /** A word no other test uses, so search results are this test's. */
    private static final String WORD = "zq" + UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    static void events() {
        ObjectNode event = Events.complete(FILES, "build", new String[] {"/raw/" + WORD + "_orders"}, new String[] {}, "2025-01-01T00:00:00Z");
        ObjectNode out = Events.dataset(FILES, "/lake/warehouse/" + WORD + "_ltv");
        ObjectNode facets = out.putObject("facets");
        facets.putObject("symlinks").putArray("identifiers").addObject().put("namespace", TABLES).put("name", "analytics." + WORD + "_ltv").put("type", "TABLE");
        facets.putObject("schema").putArray("fields").addObject().put("name", "customer_id").put("type", "long");
        facets.putObject("columnLineage").putObject("fields").putObject("customer_id").putArray("inputFields").addObject()
                .put("namespace", FILES).put("name", "/raw/" + WORD + "_orders").put("field", "customer_id")
                .putArray("transformations").addObject().put("type", "DIRECT").put("subtype", "IDENTITY");
        ((ArrayNode) event.get("outputs")).add(out);
        server.postJson("/api/v1/lineage", event.toString());
        // A dataset whose own name is exactly the word, to rank above the others.
        server.postJson("/api/v1/lineage", Events.complete(FILES, "other", new String[] {}, new String[] {WORD}, "2025-01-01T00:00:00Z").toString());
        server.awaitProjection();
    }

    @Test
    void anAliasSaysWhatItNamesAndTheDatasetItsAliases() {
        JsonNode alias = server.getJson("/api/v1/namespaces/" + enc(TABLES) + "/datasets/" + enc("analytics." + WORD + "_ltv"));
        assertEquals(FILES, alias.path("aliasOf").path("namespace").asText(), alias.toString());
        assertEquals("/lake/warehouse/" + WORD + "_ltv", alias.path("aliasOf").path("name").asText());
        JsonNode physical = server.getJson("/api/v1/namespaces/" + enc(FILES) + "/datasets/" + enc("/lake/warehouse/" + WORD + "_ltv"));
        assertEquals("analytics." + WORD + "_ltv", physical.path("aliases").get(0).path("name").asText(), physical.toString());
        assertTrue(physical.path("aliasOf").isMissingNode());
    }

    @Test
    void lineageByAnAliasIsThePhysicalDatasets() {
        JsonNode graph = server.getJson("/api/v1/lineage?depth=2&nodeId=" + enc("dataset:" + TABLES + ":analytics." + WORD + "_ltv")).path("graph");
        List<String> ids = new ArrayList<>();
        graph.forEach(n -> ids.add(n.path("id").asText()));
        assertTrue(ids.contains("job:" + FILES + ":build"), "the writer of the physical dataset: " + ids);
        assertTrue(ids.contains("dataset:" + FILES + ":/raw/" + WORD + "_orders"), ids.toString());
        JsonNode columns = server.getJson("/api/v1/column-lineage?depth=2&nodeId="
                + enc("datasetField:" + TABLES + ":analytics." + WORD + "_ltv:customer_id")).path("graph");
        List<String> fields = new ArrayList<>();
        columns.forEach(n -> fields.add(n.path("id").asText()));
        assertTrue(fields.contains("datasetField:" + FILES + ":/raw/" + WORD + "_orders:customer_id"), "a field of the alias traces the physical field: " + fields);
    }

    @Test
    void searchListsThePhysicalDatasetOnceWithItsAliasesBestMatchesFirst() {
        JsonNode results = server.getJson("/api/v1/search?filter=DATASET&q=" + WORD).path("results");
        List<String> names = new ArrayList<>();
        results.forEach(r -> names.add(r.path("name").asText()));
        assertEquals(List.of(WORD, "/raw/" + WORD + "_orders", "/lake/warehouse/" + WORD + "_ltv"), names,
                "exact first, then prefixes of a segment, shorter first; the alias is not a result of its own");
        assertEquals("EXACT", results.get(0).path("match").asText());
        JsonNode ltv = results.get(2);
        assertEquals("PREFIX", ltv.path("match").asText());
        assertEquals("analytics." + WORD + "_ltv", ltv.path("aliases").get(0).path("name").asText(), ltv.toString());
        // Found by its alias's name alone, it is still the physical dataset that is listed.
        JsonNode byAlias = server.getJson("/api/v1/search?filter=DATASET&q=" + enc("analytics." + WORD)).path("results");
        assertEquals(1, byAlias.size(), byAlias.toString());
        assertEquals("dataset:" + FILES + ":/lake/warehouse/" + WORD + "_ltv", byAlias.get(0).path("nodeId").asText());
    }
}
