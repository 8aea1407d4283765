package io.waymark.catalog.compliance;

import io.waymark.catalog.Events;
import io.waymark.catalog.TestServer;
import io.waymark.catalog.model.NodeId;
import io.waymark.catalog.projection.GraphChange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The subjects a change can affect are listed up to a hundredth of the graph (between
 * {@link ContinuousCompliance#MIN_LISTED} and {@link ContinuousCompliance#MAX_SUBJECTS}); past it
 * the round evaluates everything (null), and the lookups stop where the limit is passed rather than
 * list a huge job's inputs and their downstream to give the list up.
 */
class AffectedSubjectsTest {
    private static final TestServer server = TestServer.get();
    private static final String NS = Events.ns();
    private static ContinuousCompliance compliance;

    @BeforeAll
    static void aSmallPipeline() {
        // in -> etl -> mid -> report -> out: one hop downstream of etl's datasets is out, through report.
        assertEquals(201, server.postJson("/api/v1/lineage", Events.complete(NS, "etl", new String[] {"in"}, new String[] {"mid"}, "2025-01-01T00:00:00Z").toString()).statusCode());
        assertEquals(201, server.postJson("/api/v1/lineage", Events.complete(NS, "report", new String[] {"mid"}, new String[] {"out"}, "2025-01-01T00:00:00Z").toString()).statusCode());
        server.awaitProjection();
        compliance = server.context.getBean(ContinuousCompliance.class);
    }

    @Test
    void aSmallChangeListsItsJobDatasetsAndOneHopDownstream() {
        var subjects = compliance.affected(Set.of(job("etl")), Set.of(), Set.of(ds("mid")), false);
        assertEquals(Set.of(job("etl"), ds("in"), ds("mid"), ds("out")), subjects.local());
        assertEquals(Set.of(job("etl"), ds("in"), ds("mid"), ds("out")), subjects.lineage());
    }

    @Test
    void theLimitIsAHundredthOfTheGraphWithinItsBounds() {
        assertEquals(ContinuousCompliance.MIN_LISTED, ContinuousCompliance.subjectLimit(0));
        assertEquals(ContinuousCompliance.MIN_LISTED, ContinuousCompliance.subjectLimit(99_999));
        // The huge bench graph: 16,000 subjects took 10.8 s listed, everything 0.75-1.0 s.
        assertEquals(1_770, ContinuousCompliance.subjectLimit(177_022));
        assertEquals(ContinuousCompliance.MAX_SUBJECTS, ContinuousCompliance.subjectLimit(50_000_000));
        long graph;
        try (var session = server.context.getBean(org.neo4j.driver.Driver.class).session()) {
            graph = session.run("MATCH (n) WHERE n:Dataset OR n:Job RETURN count(n) AS n").single().get("n").asLong();
        }
        assertEquals(ContinuousCompliance.subjectLimit(graph), compliance.subjectLimit(), "the graph's " + graph + " datasets and jobs");
    }

    @Test
    void tooManySeedsLeaveTheLocalListAndEvaluateLineageRulesEverywhere() {
        var subjects = compliance.affected(Set.of(job("etl")), Set.of(), synthetic(compliance.subjectLimit()), false);
        assertNotNull(subjects.local());
        assertEquals(4, subjects.local().size());
        assertNull(subjects.lineage());
    }

    @Test
    void aJobWhoseDatasetsPassTheCapEvaluatesEverything() {
        // The job's two datasets take the touched nodes one past the limit, within the lookup of its datasets.
        int limit = compliance.subjectLimit();
        Set<String> nodes = synthetic(limit - 2);
        var subjects = compliance.affected(Set.of(job("etl")), nodes, Set.of(), false);
        assertNull(subjects.local());
        assertNull(subjects.lineage());
        // One fewer and everything is listed, downstream of them too.
        nodes = synthetic(limit - 4);
        subjects = compliance.affected(Set.of(job("etl")), nodes, Set.of(), false);
        assertEquals(limit, subjects.local().size());
    }

    @Test
    void aChangePastTheCapIsEvaluatedWholeWithoutKeepingItsKeys() throws InterruptedException {
        compliance.awaitIdle();
        double before = incrementalRounds();
        // Queued past the cap, the change is remembered as "everything" rather than as its keys, and still evaluated.
        compliance.changed(new GraphChange(Set.of(), synthetic(ContinuousCompliance.MAX_SUBJECTS + 1), GraphChange.LabelChange.NONE, false, Set.of(), false));
        compliance.awaitIdle();
        assertEquals(before + 1, incrementalRounds(), "one round over every subject");
    }

    private static double incrementalRounds() {
        Matcher m = Pattern.compile("(?m)^waymark_compliance_evaluation_seconds_count\\{scope=\"incremental\",?\\} (\\S+)$")
                .matcher(server.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static Set<String> synthetic(int n) {
        Set<String> keys = new LinkedHashSet<>();
        IntStream.range(0, n).forEach(i -> keys.add(ds("absent_" + i)));
        return keys;
    }

    private static String job(String name) {
        return NodeId.job(NS, name);
    }

    private static String ds(String name) {
        return NodeId.dataset(NS, name);
    }
}
