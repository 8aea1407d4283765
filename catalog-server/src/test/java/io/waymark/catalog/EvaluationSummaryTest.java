package io.waymark.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary an evaluation returns says where its time went; every phase is a duration, never negative. */
class EvaluationSummaryTest {
    private final TestServer server = TestServer.get();

    @Test
    void aFullEvaluationReportsItsRecordingPhases() {
        JsonNode summary = TestServer.parse(server.post("/api/v1/compliance/evaluations", new byte[0]).body());
        assertEquals("all", summary.path("scope").asText());
        String recording = summary.path("recording").asText();
        Matcher phase = Pattern.compile("(open|in|resolve|commit) (-?\\d+) ms").matcher(recording);
        int phases = 0;
        while (phase.find()) {
            phases++;
            assertTrue(Long.parseLong(phase.group(2)) >= 0, "a negative duration in '" + recording + "'");
            assertTrue(Long.parseLong(phase.group(2)) <= summary.path("durationMs").asLong(), "a phase longer than the evaluation: '" + recording + "'");
        }
        assertEquals(4, phases, recording);
    }
}
