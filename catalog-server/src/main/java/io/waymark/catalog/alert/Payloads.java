package io.waymark.catalog.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.incident.IncidentRow;
import io.waymark.catalog.incident.Incidents;
import io.waymark.catalog.model.Times;

import java.time.Instant;
import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/**
 * What each kind of channel receives for an incident's step, in the receiver's own contract:
 * Waymark's webhook JSON, a Slack incoming-webhook message ({@code text} with {@code blocks}),
 * a PagerDuty Events API v2 event (trigger, acknowledge, resolve under one dedup key) and an
 * e-mail's subject and text. Never a secret: the routing key and signature are added when sent.
 */
final class Payloads {
    private static final Map<String, String> PAGERDUTY_SEVERITY = Map.of("critical", "critical", "high", "error", "medium", "warning", "low", "info");

    private Payloads() {}

    /** The stored payload of a step ({@code action}: opened, acknowledged, resolved or test). */
    static String of(String type, String action, IncidentRow incident) {
        return JsonView.write(switch (type) {
            case "slack" -> slack(action, incident);
            case "pagerduty" -> pagerDuty(action, incident);
            case "email" -> email(action, incident);
            default -> webhook(action, incident);
        });
    }

    static ObjectNode webhook(String action, IncidentRow incident) {
        ObjectNode body = F.objectNode().put("version", "1").put("event", "incident." + action).put("sentAt", Times.format(Instant.now()));
        body.set("incident", Incidents.view(incident));
        return body;
    }

    private static String headline(String action, IncidentRow i) {
        String verb = switch (action) {
            case "opened" -> "Incident opened";
            case "acknowledged" -> "Incident acknowledged";
            case "resolved" -> "Incident resolved";
            default -> "Test notification";
        };
        return verb + " [" + i.severity() + "] " + i.kind() + ": " + i.namespace() + "/" + i.name();
    }

    /** The root-cause path in words, when there is one (dataset ← job ← dataset …). */
    private static String cause(IncidentRow i) {
        JsonNode causes = JsonView.parse(i.detail()).path("rootCause");
        if (!causes.isArray() || causes.isEmpty()) {
            return null;
        }
        JsonNode first = causes.get(0);
        StringBuilder path = new StringBuilder();
        for (JsonNode step : first.path("path")) {
            path.append(path.length() == 0 ? "" : " ← ").append(io.waymark.catalog.model.NodeId.display(step.asText()));
        }
        return "Root cause: job " + first.path("job").asText() + " is " + first.path("state").asText() + " (" + first.path("reason").asText()
                + "). Path: " + path;
    }

    static ObjectNode slack(String action, IncidentRow i) {
        String cause = cause(i);
        String text = headline(action, i) + "\n" + i.title() + (cause == null ? "" : "\n" + cause);
        ObjectNode body = F.objectNode().put("text", text);
        ArrayNode blocks = body.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text").put("text", abbreviate(headline(action, i), 150));
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", abbreviate(i.title(), 3000));
        if (cause != null) {
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", abbreviate(cause, 3000));
        }
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", "Waymark incident " + i.id() + " · state " + i.state() + " · opened " + i.openedAt());
        return body;
    }

    /** Events API v2: trigger on open (and test), acknowledge, resolve; the dedup key ties them to one PagerDuty incident. */
    static ObjectNode pagerDuty(String action, IncidentRow i) {
        String eventAction = switch (action) {
            case "acknowledged" -> "acknowledge";
            case "resolved" -> "resolve";
            default -> "trigger";
        };
        ObjectNode body = F.objectNode().put("event_action", eventAction).put("dedup_key", "waymark-" + i.id());
        if (eventAction.equals("trigger")) {
            ObjectNode payload = body.putObject("payload").put("summary", abbreviate(i.title(), 1024)).put("source", "waymark")
                    .put("severity", PAGERDUTY_SEVERITY.getOrDefault(i.severity(), "warning")).put("timestamp", i.openedAt())
                    .put("component", i.namespace() + "/" + i.name()).put("group", i.namespace()).put("class", i.kind());
            ObjectNode details = payload.putObject("custom_details");
            details.set("detail", JsonView.parse(i.detail()));
            String cause = cause(i);
            if (cause != null) {
                details.put("rootCause", cause);
            }
        }
        return body;
    }

    static ObjectNode email(String action, IncidentRow i) {
        String cause = cause(i);
        StringBuilder text = new StringBuilder(i.title()).append("\n\n");
        if (cause != null) {
            text.append(cause).append("\n\n");
        }
        text.append("Kind: ").append(i.kind()).append("\nSeverity: ").append(i.severity()).append("\nState: ").append(i.state())
                .append("\nSubject: ").append(i.namespace()).append('/').append(i.name()).append("\nOpened: ").append(i.openedAt())
                .append("\nIncident: ").append(i.id()).append('\n');
        return F.objectNode().put("subject", "[Waymark] " + headline(action, i)).put("text", text.toString());
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
