package io.waymark.catalog.retention;

import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.journal.JournalEntry;
import io.waymark.catalog.projection.Facts;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Decides which old lineage entries a purge may drop without changing today's graph. One pass over
 * the journal in id order: for every fact an entry contributes ({@link Facts}), the entries that
 * decide it are remembered (the last to set it, and for spans the first, last, earliest and latest);
 * an old entry that decides nothing goes. Runs go whole or not at all (a run's inputs and outputs
 * are the union of its events, and its state comes from all of them), a kept run keeps its parent
 * run, and a run with any event inside the retention window stays. Only entries the projector has
 * passed are dropped, so the graph can be trimmed to match before the journal loses them.
 */
final class Compaction {
    static final int PAGE = 2000;
    /** The journal kinds retention compacts: producers' lineage. Governance entries are never purged. */
    private static final Set<String> LINEAGE = Set.of("RUN", "JOB", "DATASET");

    /** The outcome: the entries to delete, the runs whose Run nodes go with them, and what was looked at. */
    record Plan(List<Long> dropIds, List<String> dropRuns, List<String> orphanParents, long scanned, long candidates, long keptOld,
                long droppedBytes) {}

    private static final class Span {
        long firstId;
        long lastId;
        long minId;
        long maxId;
        String minAt;
        String maxAt;

        Span(long id, String at) {
            firstId = lastId = minId = maxId = id;
            minAt = maxAt = at;
        }

        void add(long id, String at) {
            lastId = id;
            if (at.compareTo(minAt) < 0) {
                minAt = at;
                minId = id;
            }
            if (at.compareTo(maxAt) >= 0) {
                maxAt = at;
                maxId = id;
            }
        }
    }

    private static final class RunEvents {
        final List<Long> ids = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();
        boolean allOld = true;
        String parent;
    }

    private Compaction() {}

    /**
     * @param old whether an entry (its namespaces, its event time) is past its retention
     * @param upTo the projector's watermark: later entries are never dropped
     */
    static Plan plan(Journal journal, Facts facts, BiPredicate<List<String>, String> old, long upTo) throws Exception {
        Set<String> failedRuns = new HashSet<>(journal.jdbi().withHandle(h -> h.createQuery(
                "SELECT DISTINCT lower(run_id) FROM lineage_event WHERE kind = 'RUN' AND event_type = 'FAIL'").mapTo(String.class).list()));
        Map<String, Span> spans = new HashMap<>();
        Map<String, Long> lasts = new HashMap<>();
        Map<String, RunEvents> runs = new HashMap<>();
        Map<Long, Integer> oldStatic = new HashMap<>();
        long scanned = 0;
        long candidates = 0;
        long after = 0;
        while (true) {
            long from = after;
            List<JournalEntry> page = journal.read(dao -> dao.after(from, PAGE));
            if (page.isEmpty()) {
                break;
            }
            for (JournalEntry e : page) {
                after = e.id();
                if (!LINEAGE.contains(e.kind())) {
                    continue;
                }
                scanned++;
                Facts.Contribution c = facts.of(e);
                boolean candidate = e.id() <= upTo && old.test(c.namespaces(), e.eventTime());
                candidates += candidate ? 1 : 0;
                String at = e.eventTime();
                for (String fact : c.span()) {
                    spans.compute(fact, (k, s) -> s == null ? new Span(e.id(), at) : add(s, e.id(), at));
                }
                if (c.runId() != null && !failedRuns.contains(c.runId())) {
                    for (String fact : c.runIo()) {
                        spans.compute(fact, (k, s) -> s == null ? new Span(e.id(), at) : add(s, e.id(), at));
                    }
                }
                for (String fact : c.last()) {
                    lasts.put(fact, e.id());
                }
                if (c.runId() != null) {
                    RunEvents run = runs.computeIfAbsent(c.runId(), k -> new RunEvents());
                    run.ids.add(e.id());
                    run.sizes.add(e.payload().length());
                    run.allOld &= candidate;
                    if (c.parentRunId() != null) {
                        run.parent = c.parentRunId().toLowerCase(Locale.ROOT);
                    }
                } else if (candidate) {
                    oldStatic.put(e.id(), e.payload().length());
                }
            }
        }
        Set<Long> deciding = new HashSet<>(lasts.values());
        for (Span s : spans.values()) {
            deciding.add(s.firstId);
            deciding.add(s.lastId);
            deciding.add(s.minId);
            deciding.add(s.maxId);
        }
        spans.clear();
        lasts.clear();

        Set<String> keptRuns = new HashSet<>();
        Deque<String> parents = new ArrayDeque<>();
        runs.forEach((id, run) -> {
            if (!run.allOld || run.ids.stream().anyMatch(deciding::contains)) {
                keptRuns.add(id);
                parents.add(id);
            }
        });
        // A kept run keeps its parent: the projector creates the parent's Run node from the child's
        // facet, and a rebuild must find the same node the graph has.
        while (!parents.isEmpty()) {
            RunEvents run = runs.get(parents.poll());
            if (run != null && run.parent != null && runs.containsKey(run.parent) && keptRuns.add(run.parent)) {
                parents.add(run.parent);
            }
        }
        List<Long> drop = new ArrayList<>();
        List<String> dropRuns = new ArrayList<>();
        Set<String> orphanParents = new HashSet<>();
        long bytes = 0;
        for (Map.Entry<String, RunEvents> r : runs.entrySet()) {
            if (keptRuns.contains(r.getKey())) {
                continue;
            }
            dropRuns.add(r.getKey());
            drop.addAll(r.getValue().ids);
            bytes += r.getValue().sizes.stream().mapToLong(Integer::longValue).sum();
            String parent = r.getValue().parent;
            if (parent != null && !runs.containsKey(parent)) {
                // A parent Waymark only knows from its children's facets: it goes when its last child does.
                orphanParents.add(parent);
            }
        }
        for (Map.Entry<Long, Integer> s : oldStatic.entrySet()) {
            if (!deciding.contains(s.getKey())) {
                drop.add(s.getKey());
                bytes += s.getValue();
            }
        }
        drop.sort(null);
        return new Plan(drop, dropRuns, new ArrayList<>(orphanParents), scanned, candidates, candidates - drop.size(), bytes);
    }

    private static Span add(Span s, long id, String at) {
        s.add(id, at);
        return s;
    }
}
