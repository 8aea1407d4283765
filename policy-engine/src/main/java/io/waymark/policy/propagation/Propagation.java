package io.waymark.policy.propagation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pushes classifications downstream along column lineage (compliance-research §3.3-3.6) as a
 * monotone fixpoint: a label reaches every column that derives from a labelled one, with its
 * protection changed by each transformation, and combines by the most exposed state. The lattice
 * is finite, so cycles end. INDIRECT dependencies add no column label. Every result keeps the
 * column it came from and the path it took.
 */
public final class Propagation {
    /** A label asserted on a column (declared, detected or by a steward): where propagation starts. */
    public record Seed(String field, String code, Protection protection) {}

    /** {@code out} derives from {@code in} in {@code job}; type/subtype/masking as OpenLineage gives them. */
    public record Edge(String out, String in, String type, String subtype, boolean masking, String job) {}

    /** An explicit, audited stop: labels of {@code code} (or "*" for all) do not cross edges of {@code job}. */
    public record Block(String job, String code) {}

    /** A propagated label: where it came from and how. */
    public record Result(String field, String code, Protection protection, String origin, List<String> path) {}

    private Propagation() {}

    /** Job roles (tokenizer, detokenizer, encryptor, anonymizer, from annotations) override the per-edge inference. */
    public static List<Result> run(List<Seed> seeds, List<Edge> edges, Map<String, String> jobRoles, Set<Block> blocks) {
        return run(seeds, edges, jobRoles, blocks, Integer.MAX_VALUE);
    }

    /**
     * The labels every column reached from the seeds over at most {@code maxHops} edges holds, as a
     * function of its inputs alone (the order of seeds and edges does not matter): for each column
     * and code the most exposed protection any route gives it; of the routes that give it, the
     * shortest; of those, the first by the column keys along it (then the protection's name). So a
     * run over any part of the graph that holds every route into a column gives that column the
     * same label, origin and path as a run over the whole graph, which scoped propagation relies on.
     * A seed's own label is not a result, unless a more exposed state reaches its column.
     *
     * <p>Breadth first over states (column, code, protection): each state is reached once, by its
     * shortest route, and of equally short routes by the first in key order, because each level is
     * visited in the key order of its routes. Routes are ranked by the rank of their parent route
     * and the last column, so no path is compared whole. Cycles end: there are finitely many states.
     */
    public static List<Result> run(List<Seed> seeds, List<Edge> edges, Map<String, String> jobRoles, Set<Block> blocks, int maxHops) {
        Map<String, List<Edge>> downstream = new HashMap<>();
        for (Edge e : edges) {
            downstream.computeIfAbsent(e.in(), k -> new ArrayList<>()).add(e);
        }
        Map<State, Step> reached = new HashMap<>();
        List<Step> level = new ArrayList<>();
        for (Seed s : seeds) {
            Step step = new Step(new State(s.field(), s.code(), s.protection()), null);
            if (reached.putIfAbsent(step.state, step) == null) {
                level.add(step);
            }
        }
        order(level);
        for (int hop = 0; hop < maxHops && !level.isEmpty(); hop++) {
            List<Step> next = new ArrayList<>();
            for (Step from : level) {
                for (Edge e : downstream.getOrDefault(from.state.field(), List.of())) {
                    String code = from.state.code();
                    if (blocks.contains(new Block(e.job(), code)) || blocks.contains(new Block(e.job(), "*"))) {
                        continue;
                    }
                    Optional<Protection> p = transfer(code, from.state.protection(), e, jobRoles.get(e.job()));
                    if (p.isPresent()) {
                        Step step = new Step(new State(e.out(), code, p.get()), from);
                        if (reached.putIfAbsent(step.state, step) == null) {
                            next.add(step);
                        }
                    }
                }
            }
            order(next);
            level = next;
        }
        // per column and code, the most exposed state; ties by route length, then route order
        Map<String, Map<String, Step>> best = new HashMap<>();
        for (Step step : reached.values()) {
            best.computeIfAbsent(step.state.field(), k -> new HashMap<>()).merge(step.state.code(), step, Propagation::better);
        }
        List<Result> results = new ArrayList<>();
        best.values().forEach(byCode -> byCode.values().forEach(step -> {
            if (step.parent != null) {
                List<String> path = step.path();
                results.add(new Result(step.state.field(), step.state.code(), step.state.protection(), path.get(0), path));
            }
        }));
        results.sort(Comparator.comparing(Result::field).thenComparing(Result::code));
        return results;
    }

    private record State(String field, String code, Protection protection) {}

    /** A state and the route that first reached it; {@code rank} orders the routes of one level. */
    private static final class Step {
        final State state;
        final Step parent;
        final int depth;
        int rank;

        Step(State state, Step parent) {
            this.state = state;
            this.parent = parent;
            this.depth = parent == null ? 0 : parent.depth + 1;
        }

        List<String> path() {
            String[] path = new String[depth + 1];
            for (Step s = this; s != null; s = s.parent) {
                path[s.depth] = s.state.field();
            }
            return List.of(path);
        }
    }

    /** Orders one level by (code, route) and ranks it: equal routes of one code share a rank. */
    private static void order(List<Step> level) {
        Comparator<Step> byRoute = Comparator.comparing((Step s) -> s.state.code())
                .thenComparingInt(s -> s.parent == null ? 0 : s.parent.rank)
                .thenComparing(s -> s.state.field());
        level.sort(byRoute.thenComparing(s -> s.state.protection()));
        Step previous = null;
        int rank = 0;
        for (Step s : level) {
            if (previous != null && byRoute.compare(previous, s) != 0) {
                rank++;
            }
            s.rank = rank;
            previous = s;
        }
    }

    private static Step better(Step a, Step b) {
        int byExposure = Integer.compare(b.state.protection().rank(), a.state.protection().rank());
        if (byExposure != 0) {
            return byExposure < 0 ? a : b;
        }
        if (a.depth != b.depth) {
            return a.depth < b.depth ? a : b;
        }
        List<String> pa = a.path();
        List<String> pb = b.path();
        for (int i = 0; i < pa.size(); i++) {
            int c = pa.get(i).compareTo(pb.get(i));
            if (c != 0) {
                return c < 0 ? a : b;
            }
        }
        return a.state.protection().compareTo(b.state.protection()) <= 0 ? a : b;
    }

    /** The protection a label has after crossing one edge, or empty when no value flows (INDIRECT). */
    static Optional<Protection> transfer(String code, Protection protection, Edge e, String role) {
        if ("INDIRECT".equalsIgnoreCase(e.type())) {
            return Optional.empty();
        }
        if (role != null) {
            switch (role) {
                case "tokenizer" -> { return Optional.of(Protection.TOKENISED); }
                case "encryptor" -> { return Optional.of(Protection.ENCRYPTED); }
                case "anonymizer" -> { return Optional.of(Protection.ANONYMISED); }
                case "detokenizer" -> { return Optional.of(Protection.CLEAR); }
                default -> { }
            }
        }
        String subtype = e.subtype() == null ? "" : e.subtype().toUpperCase();
        if (subtype.equals("AGGREGATION")) {
            boolean financial = code.startsWith("FIN.");
            // count() and the like do not reveal the value; financial significance still flows to key reports
            return Optional.of(e.masking() && !financial ? Protection.AGGREGATED : protection);
        }
        if (e.masking()) {
            // OpenLineage marks unkeyed hashes and mask(): still personal data (GDPR Art. 4(5))
            return Optional.of(min(protection, Protection.HASHED_UNKEYED));
        }
        return Optional.of(protection);
    }

    /** The less exposed of the two: a hash of a tokenised value is no more exposed than the token. */
    private static Protection min(Protection a, Protection b) {
        return a.rank() <= b.rank() ? a : b;
    }
}
