package io.waymark.policy.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rule and fixture file of the shipped pack is valid against the JSON Schemas editors and CI lint use. */
class RuleSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonSchema schema(String name) throws Exception {
        try (InputStream in = RuleSchemaTest.class.getClassLoader().getResourceAsStream("waymark/schema/" + name)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    @Test
    void everyRuleAndFixtureMatchesItsSchema() throws Exception {
        JsonSchema rules = schema("rule.schema.json");
        JsonSchema fixtures = schema("fixture.schema.json");
        List<String> problems = new ArrayList<>();
        Map<String, Object> pack = RulePack.yaml(RulePack.BASE + "pack.yaml");
        for (Object file : (List<?>) pack.get("rules")) {
            JsonNode rule = JSON.valueToTree(RulePack.yaml(RulePack.BASE + file));
            rules.validate(rule).forEach(m -> problems.add(file + ": " + m.getMessage()));
            for (JsonNode fixture : rule.path("tests")) {
                JsonNode test = JSON.valueToTree(RulePack.yaml(RulePack.BASE + fixture.asText()));
                fixtures.validate(test).forEach(m -> problems.add(fixture.asText() + ": " + m.getMessage()));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theSchemaCatchesAMalformedRule() throws Exception {
        JsonNode rule = JSON.valueToTree(RulePack.yaml(RulePack.BASE + "pci/PCI-3.5.1-PAN-CLEARTEXT.yaml"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) rule).put("severity", "urgent");
        Set<ValidationMessage> messages = schema("rule.schema.json").validate(rule);
        assertFalse(messages.isEmpty());
        assertEquals(1, messages.size(), messages.toString());
    }
}
