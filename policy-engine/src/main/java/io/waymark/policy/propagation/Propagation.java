package io.waymark.policy.propagation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
        Map<String, List<Edge>> downstream = new HashMap<>();
        for (Edge e : edges) {
            downstream.computeIfAbsent(e.in(), k -> new ArrayList<>()).add(e);
        }
        // best (field, code) so far; seeds are the fixed starting points and are never replaced
        Map<String, Map<String, Result>> best = new LinkedHashMap<>();
        Deque<Result> work = new ArrayDeque<>();
        for (Seed s : seeds) {
            Result r = new Result(s.field(), s.code(), s.protection(), s.field(), List.of(s.field()));
            Result before = best.computeIfAbsent(s.field(), k -> new LinkedHashMap<>()).get(s.code());
            if (before == null || s.protection().rank() > before.protection().rank()) {
                best.get(s.field()).put(s.code(), r);
                work.add(r);
            }
        }
        while (!work.isEmpty()) {
            Result label = work.poll();
            if (best.get(label.field()).get(label.code()) != label) {
                continue; // superseded by a more exposed state since it was queued
            }
            for (Edge e : downstream.getOrDefault(label.field(), List.of())) {
                if (blocks.contains(new Block(e.job(), label.code())) || blocks.contains(new Block(e.job(), "*"))) {
                    continue;
                }
                Optional<Protection> next = transfer(label, e, jobRoles.get(e.job()));
                if (next.isEmpty()) {
                    continue;
                }
                Map<String, Result> at = best.computeIfAbsent(e.out(), k -> new LinkedHashMap<>());
                Result current = at.get(label.code());
                if (current == null || next.get().rank() > current.protection().rank()) {
                    List<String> path = new ArrayList<>(label.path());
                    path.add(e.out());
                    Result r = new Result(e.out(), label.code(), next.get(), label.origin(), List.copyOf(path));
                    at.put(label.code(), r);
                    work.add(r);
                }
            }
        }
        Set<String> seeded = new java.util.HashSet<>();
        seeds.forEach(s -> seeded.add(s.field() + "\u0000" + s.code()));
        List<Result> results = new ArrayList<>();
        best.values().forEach(m -> m.values().stream()
                .filter(r -> !seeded.contains(r.field() + "\u0000" + r.code()) || !r.origin().equals(r.field()))
                .forEach(results::add));
        return results;
    }

    /** The protection a label has after crossing one edge, or empty when no value flows (INDIRECT). */
    static Optional<Protection> transfer(Result label, Edge e, String role) {
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
            boolean financial = label.code().startsWith("FIN.");
            // count() and the like do not reveal the value; financial significance still flows to key reports
            return Optional.of(e.masking() && !financial ? Protection.AGGREGATED : label.protection());
        }
        if (e.masking()) {
            // OpenLineage marks unkeyed hashes and mask(): still personal data (GDPR Art. 4(5))
            return Optional.of(min(label.protection(), Protection.HASHED_UNKEYED));
        }
        return Optional.of(label.protection());
    }

    /** The less exposed of the two: a hash of a tokenised value is no more exposed than the token. */
    private static Protection min(Protection a, Protection b) {
        return a.rank() <= b.rank() ? a : b;
    }
}
