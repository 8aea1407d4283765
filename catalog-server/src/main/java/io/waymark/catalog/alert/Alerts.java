package io.waymark.catalog.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Context;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.config.InstanceKey;
import io.waymark.catalog.incident.IncidentRow;
import io.waymark.catalog.incident.Incidents;
import io.waymark.catalog.ingest.InvalidEventException;
import io.waymark.catalog.journal.Journal;
import io.waymark.catalog.model.Times;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.waymark.catalog.api.JsonView.F;

/**
 * Alerts that reach people: each step of an incident (opened, acknowledged, resolved) becomes a
 * delivery to every channel whose route takes it, kept in the journal database and sent by a
 * background worker with retries and exponential backoff ({@value #MAX_ATTEMPTS} attempts, 2 s
 * doubling), so a channel that is down delays nobody and a restart loses no notification.
 */
@Context
public class Alerts {
    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    static final int MAX_ATTEMPTS = 6;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(2);

    private final Journal journal;
    private final InstanceKey key;
    private final Sender sender;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "waymark-alerts");
        t.setDaemon(true);
        return t;
    });

    /** Replicas: the scheduled work runs on the leader only (null outside the server, where this process is alone). */
    @jakarta.inject.Inject
    io.waymark.catalog.cluster.Leadership leadership;

    public Alerts(Journal journal, InstanceKey key, Incidents incidents, @io.micronaut.context.annotation.Value("${waymark.alerts.enabled:true}") boolean enabled) {
        this.journal = journal;
        this.key = key;
        this.sender = new Sender();
        if (enabled) {
            incidents.listen(change -> enqueue(change.action(), change.incident()));
            worker.scheduleWithFixedDelay(this::deliverDue, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Deliveries not sent yet stay PENDING in the journal and go out after the next start. */
    @PreDestroy
    void close() throws InterruptedException {
        worker.shutdown();
        if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
            worker.shutdownNow();
            worker.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private <T> T dao(java.util.function.Function<AlertDao, T> work) {
        return journal.jdbi().withExtension(AlertDao.class, work::apply);
    }

    public ObjectNode create(JsonNode body, String actor) throws InvalidEventException {
        ChannelRow row = ChannelRequest.row(body, actor, key);
        boolean created = dao(d -> {
            if (d.channel(row.name()).isPresent()) {
                return false;
            }
            d.insert(row);
            return true;
        });
        if (!created) {
            throw new InvalidEventException(409, "conflict", "name", "a channel named '" + row.name() + "' exists; delete it first");
        }
        return view(row);
    }

    public List<ObjectNode> list() {
        return dao(AlertDao::channels).stream().map(Alerts::view).toList();
    }

    public Optional<ObjectNode> get(String name) {
        return dao(d -> d.channel(name)).map(Alerts::view);
    }

    public boolean delete(String name) {
        return dao(d -> d.delete(name)) > 0;
    }

    /** A channel as the API shows it: settings and route, and only whether a secret is set. */
    static ObjectNode view(ChannelRow row) {
        ObjectNode node = F.objectNode().put("name", row.name()).put("type", row.type());
        node.set("settings", JsonView.parse(row.settings()));
        node.put("secret", row.secretEnc() == null ? null : "stored encrypted");
        node.set("route", JsonView.parse(row.route()));
        node.put("createdAt", row.createdAt()).put("createdBy", row.createdBy());
        return node;
    }

    /** Sends a test notification now and says what the receiver answered; recorded like any delivery. */
    public Optional<ObjectNode> test(String name) {
        return dao(d -> d.channel(name)).map(channel -> {
            String now = Times.format(Instant.now());
            IncidentRow sample = new IncidentRow("test-" + UUID.randomUUID(), "TEST", "test", "waymark", "test notification", "test", "OPEN",
                    "low", "Test notification from Waymark: channel '" + name + "' is reachable", "{}", null, now, now, null, null, null, null, null);
            DeliveryRow delivery = new DeliveryRow(UUID.randomUUID().toString(), name, null, "test", "PENDING", 0, null, now, now, null,
                    Payloads.of(channel.type(), "test", sample));
            dao(d -> {
                d.insert(delivery);
                return null;
            });
            String error = attempt(channel, delivery);
            return F.objectNode().put("ok", error == null).put("error", error).put("delivery", delivery.id());
        });
    }

    public List<ObjectNode> deliveries(String channel, String state, String incident, int limit) {
        return dao(d -> d.deliveries(channel, state, incident, limit)).stream().map(r -> {
            ObjectNode node = F.objectNode().put("id", r.id()).put("channel", r.channel()).put("incidentId", r.incidentId())
                    .put("action", r.action()).put("state", r.state()).put("attempts", r.attempts()).put("lastError", r.lastError())
                    .put("createdAt", r.createdAt()).put("nextAttempt", r.nextAttempt()).put("sentAt", r.sentAt());
            node.set("payload", JsonView.parse(r.payload()));
            return node;
        }).toList();
    }

    /** One delivery per channel whose route takes this step of this incident. */
    void enqueue(String action, IncidentRow incident) {
        String now = Times.format(Instant.now());
        dao(d -> {
            for (ChannelRow channel : d.channels()) {
                if (Route.of(channel.route()).takes(incident)) {
                    d.insert(new DeliveryRow(UUID.randomUUID().toString(), channel.name(), incident.id(), action, "PENDING", 0, null, now, now, null,
                            Payloads.of(channel.type(), action, incident)));
                }
            }
            return null;
        });
        worker.execute(this::deliverDue);
    }

    private synchronized void deliverDue() {
        if (!io.waymark.catalog.cluster.Leadership.leads(leadership)) {
            return;
        }
        try {
            List<DeliveryRow> due = dao(d -> d.due(Times.format(Instant.now())));
            if (due.isEmpty()) {
                return;
            }
            // Channels once per round, not once per delivery.
            java.util.Map<String, ChannelRow> channels = new java.util.HashMap<>();
            dao(AlertDao::channels).forEach(c -> channels.put(c.name(), c));
            for (DeliveryRow delivery : due) {
                Optional<ChannelRow> channel = Optional.ofNullable(channels.get(delivery.channel()));
                if (channel.isEmpty()) {
                    update(delivery, "FAILED", delivery.attempts(), "the channel was deleted", null, null);
                    continue;
                }
                attempt(channel.get(), delivery);
            }
        } catch (RuntimeException e) {
            LOG.warn("alert deliveries could not be read, retrying: {}", e.toString());
        }
    }

    /** One attempt; the delivery's row says what happened. Answers the error, or null when sent. */
    private String attempt(ChannelRow channel, DeliveryRow delivery) {
        int attempts = delivery.attempts() + 1;
        String error;
        try {
            String secrets = channel.secretEnc() == null ? "{}" : key.decrypt(channel.secretEnc());
            error = sender.send(channel, JsonView.parse(secrets), delivery);
        } catch (RuntimeException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        Instant now = Instant.now();
        if (error == null) {
            update(delivery, "SENT", attempts, null, null, Times.format(now));
        } else if (delivery.action().equals("test")) {
            // A test answers the person who asked; it is not retried and is no operational warning.
            update(delivery, "FAILED", attempts, error, null, null);
        } else if (attempts >= MAX_ATTEMPTS) {
            update(delivery, "FAILED", attempts, error, null, null);
            LOG.warn("alert to channel {} failed for good after {} attempts: {}", channel.name(), attempts, error);
        } else {
            Instant next = now.plus(FIRST_RETRY.multipliedBy(1L << (attempts - 1)));
            update(delivery, "PENDING", attempts, error, Times.format(next), null);
        }
        return error;
    }

    private void update(DeliveryRow d, String state, int attempts, String error, String next, String sentAt) {
        dao(x -> {
            x.update(new DeliveryRow(d.id(), d.channel(), d.incidentId(), d.action(), state, attempts, error, d.createdAt(), next, sentAt, d.payload()));
            return null;
        });
    }

    /** Which incidents a channel takes: by namespace glob, owner, least severity and kind (all optional). */
    record Route(List<Pattern> namespaces, List<String> owners, int minSeverity, List<String> kinds) {
        static Route of(String json) {
            JsonNode r = JsonView.parse(json);
            List<Pattern> namespaces = new java.util.ArrayList<>();
            r.path("namespaces").forEach(n -> namespaces.add(io.waymark.catalog.model.Globs.pattern(n.asText(), false)));
            List<String> owners = new java.util.ArrayList<>();
            r.path("owners").forEach(n -> owners.add(n.asText()));
            List<String> kinds = new java.util.ArrayList<>();
            r.path("kinds").forEach(n -> kinds.add(n.asText()));
            return new Route(namespaces, owners, ChannelRequest.SEVERITIES.indexOf(r.path("minSeverity").asText("low")), kinds);
        }

        boolean takes(IncidentRow i) {
            return (namespaces.isEmpty() || namespaces.stream().anyMatch(p -> p.matcher(i.namespace()).matches()))
                    && (owners.isEmpty() || owners.contains(i.owner()))
                    && (kinds.isEmpty() || kinds.contains(i.kind()) || i.kind().equals("TEST"))
                    && ChannelRequest.SEVERITIES.indexOf(i.severity()) >= minSeverity;
        }
    }
}
