package io.waymark.policy.propagation;

import io.waymark.policy.propagation.Propagation.Block;
import io.waymark.policy.propagation.Propagation.Edge;
import io.waymark.policy.propagation.Propagation.Result;
import io.waymark.policy.propagation.Propagation.Seed;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PropagationTest {
    private static final String EMAIL = "PII.contact.email";

    private static Edge direct(String out, String in, String subtype, boolean masking) {
        return new Edge(out, in, "DIRECT", subtype, masking, "job:" + out);
    }

    private static Optional<Result> at(List<Result> results, String field, String code) {
        return results.stream().filter(r -> r.field().equals(field) && r.code().equals(code)).findFirst();
    }

    private static List<Result> run(List<Edge> edges, Map<String, String> roles, Set<Block> blocks) {
        return Propagation.run(List.of(new Seed("a", EMAIL, Protection.CLEAR)), edges, roles, blocks);
    }

    @Test
    void identityCopiesTheLabelWithItsOriginAndPath() {
        List<Result> results = run(List.of(direct("b", "a", "IDENTITY", false), direct("c", "b", "TRANSFORMATION", false)), Map.of(), Set.of());
        Result c = at(results, "c", EMAIL).orElseThrow();
        assertEquals(Protection.CLEAR, c.protection());
        assertEquals("a", c.origin());
        assertEquals(List.of("a", "b", "c"), c.path());
    }

    @Test
    void maskingHashesAndNeverDropsTheLabel() {
        List<Result> results = run(List.of(direct("h", "a", "TRANSFORMATION", true), direct("x", "h", "IDENTITY", false)), Map.of(), Set.of());
        assertEquals(Protection.HASHED_UNKEYED, at(results, "h", EMAIL).orElseThrow().protection());
        assertEquals(Protection.HASHED_UNKEYED, at(results, "x", EMAIL).orElseThrow().protection());
    }

    @Test
    void countsAggregatePersonalDataButFinancialSignificanceFlows() {
        List<Result> pii = run(List.of(direct("n", "a", "AGGREGATION", true)), Map.of(), Set.of());
        assertEquals(Protection.AGGREGATED, at(pii, "n", EMAIL).orElseThrow().protection());
        List<Result> fin = Propagation.run(List.of(new Seed("rev", "FIN.REPORTING.revenue", Protection.CLEAR)),
                List.of(direct("total", "rev", "AGGREGATION", true)), Map.of(), Set.of());
        assertEquals(Protection.CLEAR, at(fin, "total", "FIN.REPORTING.revenue").orElseThrow().protection());
        List<Result> sum = run(List.of(direct("s", "a", "AGGREGATION", false)), Map.of(), Set.of());
        assertEquals(Protection.CLEAR, at(sum, "s", EMAIL).orElseThrow().protection(), "min/max/first return real values");
    }

    @Test
    void indirectDependenciesAddNoColumnLabel() {
        List<Result> results = run(List.of(new Edge("y", "a", "INDIRECT", "FILTER", false, "job:y")), Map.of(), Set.of());
        assertTrue(at(results, "y", EMAIL).isEmpty());
    }

    @Test
    void jobRolesOverrideAndTheMostExposedInputWins() {
        List<Result> tokenised = run(List.of(direct("t", "a", "IDENTITY", false)), Map.of("job:t", "tokenizer"), Set.of());
        assertEquals(Protection.TOKENISED, at(tokenised, "t", EMAIL).orElseThrow().protection());
        // concat(sha2(email), email): one hashed and one clear input give a clear output
        List<Result> both = run(List.of(direct("h", "a", "TRANSFORMATION", true), direct("out", "h", "TRANSFORMATION", false),
                direct("out", "a", "TRANSFORMATION", false)), Map.of(), Set.of());
        assertEquals(Protection.CLEAR, at(both, "out", EMAIL).orElseThrow().protection());
    }

    @Test
    void cyclesEndAndBlocksStopALabel() {
        List<Result> cycle = run(List.of(direct("b", "a", "IDENTITY", false), direct("a", "b", "IDENTITY", false)), Map.of(), Set.of());
        assertEquals(Protection.CLEAR, at(cycle, "b", EMAIL).orElseThrow().protection());
        List<Result> blocked = run(List.of(direct("b", "a", "IDENTITY", false)), Map.of(), Set.of(new Block("job:b", EMAIL)));
        assertTrue(at(blocked, "b", EMAIL).isEmpty());
    }
}
