package io.waymark.policy.ranger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default and configured dataset-to-resource mappings, and the ServiceTags document's shape. */
class RangerTest {
    @Test
    void theDefaultMapsHiveTrinoAndSparkCatalogTablesOnly() {
        RangerMapping mapping = RangerMapping.parse(null);
        assertEquals(Optional.of(new RangerMapping.Resource("sales", "orders")), mapping.resource("hive://metastore:9083", "sales.orders"));
        assertEquals(Optional.of(new RangerMapping.Resource("sales", "orders")), mapping.resource("trino://trino:8080", "hive.sales.orders"));
        assertEquals(Optional.of(new RangerMapping.Resource("sales", "orders")), mapping.resource("spark_catalog", "Sales.Orders"));
        assertEquals(Optional.empty(), mapping.resource("s3://lake", "curated/orders"));
        assertEquals(Optional.empty(), mapping.resource("hive://metastore:9083", "orders"), "no database: not a Hive table name");
    }

    @Test
    void aConfiguredMappingIsCheckedAndTriedInOrder() {
        RangerMapping mapping = RangerMapping.parse("^postgres://warehouse:5432$ => ^dw\\.(?<database>[^.]+)\\.(?<table>[^.]+)$; " + RangerMapping.DEFAULT);
        assertEquals(Optional.of(new RangerMapping.Resource("finance", "ledger")), mapping.resource("postgres://warehouse:5432", "dw.finance.ledger"));
        assertEquals(Optional.of(new RangerMapping.Resource("a", "b")), mapping.resource("hive://m", "a.b"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RangerMapping.parse("^x$ => ^(?<table>.*)$")).getMessage().contains("(?<database>"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RangerMapping.parse("^x$")).getMessage().contains("=>"));
    }

    @Test
    void theDocumentNamesEachCodeOnceAndTagsEveryColumn() {
        RangerMapping.Resource orders = new RangerMapping.Resource("sales", "orders");
        JsonNode doc = ServiceTagsBuilder.build("hive_prod", "replace", List.of(
                new ServiceTagsBuilder.ColumnLabel(orders, "email", "PII.contact.email", "CLEAR", "STEWARD"),
                new ServiceTagsBuilder.ColumnLabel(orders, "card", "PCI.PAN", "TOKENISED", "PROPAGATED"),
                new ServiceTagsBuilder.ColumnLabel(new RangerMapping.Resource("crm", "people"), "email", "PII.contact.email", "CLEAR", "STEWARD")));
        assertEquals("replace", doc.path("op").asText());
        assertEquals("hive_prod", doc.path("serviceName").asText());
        assertEquals(2, doc.path("tagDefinitions").size(), "one definition per code");
        assertEquals(2, doc.path("tags").size(), "one tag per code, protection and source");
        assertEquals(3, doc.path("serviceResources").size(), "one resource per column");
        for (JsonNode resource : doc.path("serviceResources")) {
            assertEquals("hive_prod", resource.path("serviceName").asText());
            for (String element : List.of("database", "table", "column")) {
                assertEquals(1, resource.path("resourceElements").path(element).path("values").size(), element);
                assertEquals(false, resource.path("resourceElements").path(element).path("isExcludes").asBoolean(true));
            }
            for (JsonNode tagId : doc.path("resourceToTagIds").path(resource.path("id").asText())) {
                assertTrue(doc.path("tags").has(tagId.asText()), "every mapped tag id exists");
            }
        }
        JsonNode card = doc.path("serviceResources").get(1);
        assertEquals("card", card.path("resourceElements").path("column").path("values").get(0).asText());
        JsonNode cardTag = doc.path("tags").path(doc.path("resourceToTagIds").path(card.path("id").asText()).get(0).asText());
        assertEquals("PCI.PAN", cardTag.path("type").asText());
        assertEquals("TOKENISED", cardTag.path("attributes").path("protection").asText());
    }
}
