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

    @Test
    void ofEquallyExposedRoutesTheShortestThenTheFirstByKeyWins() {
        // b is reached clear by a-b and by a-x-b; d as a tokenised value by two routes of equal length
        List<Result> results = run(List.of(direct("x", "a", "IDENTITY", false), direct("b", "x", "IDENTITY", false),
                direct("b", "a", "IDENTITY", false), direct("d", "c", "IDENTITY", false), direct("d", "b", "IDENTITY", false),
                direct("c", "a", "IDENTITY", false)), Map.of("job:d", "tokenizer"), Set.of());
        assertEquals(List.of("a", "b"), at(results, "b", EMAIL).orElseThrow().path());
        assertEquals(List.of("a", "b", "d"), at(results, "d", EMAIL).orElseThrow().path());
    }

    @Test
    void aRouteThroughALessExposedStateCanBeTheShortest() {
        // m holds the e-mail clear (a-l1-l2-m) and hashed (a-h-m); t's tokeniser makes both routes TOKENISED,
        // and the route through the hashed state is shorter, so it is t's path whatever the input order
        List<Edge> edges = List.of(direct("l1", "a", "IDENTITY", false), direct("l2", "l1", "IDENTITY", false),
                direct("m", "l2", "IDENTITY", false), direct("h", "a", "TRANSFORMATION", true), direct("m", "h", "IDENTITY", false),
                direct("t", "m", "IDENTITY", false));
        List<Edge> reversed = new java.util.ArrayList<>(edges);
        java.util.Collections.reverse(reversed);
        for (List<Edge> order : List.of(edges, reversed)) {
            List<Result> results = run(order, Map.of("job:t", "tokenizer"), Set.of());
            assertEquals(Protection.CLEAR, at(results, "m", EMAIL).orElseThrow().protection());
            assertEquals(List.of("a", "h", "m", "t"), at(results, "t", EMAIL).orElseThrow().path());
        }
    }

    /**
     * The specification by brute force: every route of at most four edges from a seed, the most
     * exposed state, then the shortest route, then the first by keys, then the protection's name,
     * on random graphs with cycles, masking, roles and blocks; and the same result whatever order
     * the seeds and edges come in.
     */
    @Test
    void resultsAreTheSpecifiedRouteWhateverTheInputOrder() {
        java.util.Random random = new java.util.Random(20261122);
        String[] fields = {"a", "b", "c", "d", "e", "f"};
        String[] subtypes = {"IDENTITY", "TRANSFORMATION", "AGGREGATION"};
        String[] roles = {"tokenizer", "detokenizer", "encryptor", "anonymizer"};
        for (int round = 0; round < 300; round++) {
            List<Edge> edges = new java.util.ArrayList<>();
            for (int i = 0; i < 4 + random.nextInt(8); i++) {
                String out = fields[random.nextInt(fields.length)];
                String in = fields[random.nextInt(fields.length)];
                String type = random.nextInt(6) == 0 ? "INDIRECT" : "DIRECT";
                edges.add(new Edge(out, in, type, subtypes[random.nextInt(3)], random.nextBoolean(), "job:" + random.nextInt(4)));
            }
            List<Seed> seeds = new java.util.ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                seeds.add(new Seed(fields[random.nextInt(fields.length)], random.nextBoolean() ? EMAIL : "FIN.REPORTING.revenue",
                        Protection.values()[random.nextInt(Protection.values().length)]));
            }
            Map<String, String> jobRoles = random.nextBoolean() ? Map.of("job:" + random.nextInt(4), roles[random.nextInt(roles.length)]) : Map.of();
            Set<Block> blocks = random.nextInt(4) == 0 ? Set.of(new Block("job:" + random.nextInt(4), EMAIL)) : Set.of();
            List<Result> expected = bruteForce(seeds, edges, jobRoles, blocks, 4);
            List<Edge> shuffledEdges = new java.util.ArrayList<>(edges);
            List<Seed> shuffledSeeds = new java.util.ArrayList<>(seeds);
            for (int shuffle = 0; shuffle < 3; shuffle++) {
                java.util.Collections.shuffle(shuffledEdges, random);
                java.util.Collections.shuffle(shuffledSeeds, random);
                assertEquals(expected, Propagation.run(shuffledSeeds, shuffledEdges, jobRoles, blocks, 4),
                        "round " + round + ": seeds " + seeds + ", edges " + edges + ", roles " + jobRoles + ", blocks " + blocks);
            }
        }
    }

    private static List<Result> bruteForce(List<Seed> seeds, List<Edge> edges, Map<String, String> roles, Set<Block> blocks, int maxHops) {
        record Route(List<String> path, String code, Protection protection) {}
        List<Route> routes = new java.util.ArrayList<>();
        List<Route> frontier = new java.util.ArrayList<>();
        seeds.forEach(s -> frontier.add(new Route(List.of(s.field()), s.code(), s.protection())));
        routes.addAll(frontier);
        for (int hop = 0; hop < maxHops; hop++) {
            List<Route> next = new java.util.ArrayList<>();
            for (Route r : frontier) {
                for (Edge e : edges) {
                    if (!e.in().equals(r.path().get(r.path().size() - 1))
                            || blocks.contains(new Block(e.job(), r.code())) || blocks.contains(new Block(e.job(), "*"))) {
                        continue;
                    }
                    Propagation.transfer(r.code(), r.protection(), e, roles.get(e.job())).ifPresent(p -> {
                        List<String> path = new java.util.ArrayList<>(r.path());
                        path.add(e.out());
                        next.add(new Route(List.copyOf(path), r.code(), p));
                    });
                }
            }
            routes.addAll(next);
            frontier.clear();
            frontier.addAll(next);
        }
        java.util.Comparator<Route> preference = java.util.Comparator.comparingInt((Route r) -> -r.protection().rank())
                .thenComparingInt(r -> r.path().size())
                .thenComparing((x, y) -> String.join("\u0000", x.path()).compareTo(String.join("\u0000", y.path())))
                .thenComparing(Route::protection);
        Map<String, Route> best = new java.util.TreeMap<>();
        for (Route r : routes) {
            best.merge(r.path().get(r.path().size() - 1) + "\u0000" + r.code(), r, (x, y) -> preference.compare(x, y) <= 0 ? x : y);
        }
        return best.values().stream().filter(r -> r.path().size() > 1)
                .map(r -> new Result(r.path().get(r.path().size() - 1), r.code(), r.protection(), r.path().get(0), r.path()))
                .sorted(java.util.Comparator.comparing(Result::field).thenComparing(Result::code)).toList();
    }
}
