package io.waymark.catalog.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The process's Prometheus metrics: ingest, projection and HTTP latency. */
@Singleton
public class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter accepted = Counter.builder("waymark_events_accepted").description("Events committed to the journal").register(registry);
    private final Counter duplicates = Counter.builder("waymark_events_duplicate").description("Events accepted that were already in the journal").register(registry);
    private final Counter projected = Counter.builder("waymark_events_projected").description("Journal events applied to the graph").register(registry);
    private final Counter projectionErrors = Counter.builder("waymark_projection_errors").description("Journal events that could not be applied to the graph").register(registry);
    private final Timer projectionBatch = Timer.builder("waymark_projection_batch").description("Time to apply one batch of journal events").register(registry);

    public void accepted(int count, int duplicateCount) {
        accepted.increment(count);
        duplicates.increment(duplicateCount);
    }

    public void rejected(int status, String error) {
        Counter.builder("waymark_events_rejected").description("Events refused at ingest")
                .tag("status", Integer.toString(status)).tag("error", error).register(registry).increment();
    }

    /** One poll's records from Kafka, committed: new events, duplicates, records that are not events. */
    public void kafkaRecords(int fresh, int duplicates, int rejected) {
        for (var outcome : java.util.Map.of("accepted", fresh, "duplicate", duplicates, "rejected", rejected).entrySet()) {
            Counter.builder("waymark_kafka_records").description("Kafka records whose offsets were committed, by what became of them")
                    .tag("outcome", outcome.getKey()).register(registry).increment(outcome.getValue());
        }
    }

    public void projected(int count, long nanos) {
        projected.increment(count);
        projectionBatch.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void projectionError() {
        projectionErrors.increment();
    }

    /** One recomputation of propagated and suspected labels: of the region a change reaches, or of the whole graph. */
    public void propagation(boolean whole, long nanos) {
        Timer.builder("waymark_propagation").description("Time to recompute propagated and suspected labels after a change")
                .tag("scope", whole ? "whole" : "region").register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One compliance evaluation round: incremental (for the subjects a change affected) or full. */
    public void complianceRound(boolean incremental, int subjects, long nanos) {
        String scope = incremental ? "incremental" : "full";
        Timer.builder("waymark_compliance_evaluation").description("Time to evaluate the rule pack and record the findings")
                .tag("scope", scope).register(registry).record(nanos, TimeUnit.NANOSECONDS);
        io.micrometer.core.instrument.DistributionSummary.builder("waymark_compliance_subjects")
                .description("Subjects evaluated per incremental round").tag("scope", scope).register(registry).record(subjects);
    }

    public Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public void request(String method, String route, int status, long nanos) {
        Timer.builder("waymark_http_server_requests").description("HTTP request latency")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(Duration.ofMinutes(2))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    private final java.util.Map<String, io.micrometer.core.instrument.MultiGauge> tables = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A gauge with one series per row ({@code tagNames} name the row key's parts), replaced as a
     * whole: rows that are gone disappear from the scrape.
     */
    public void table(String name, String description, java.util.List<String> tagNames, java.util.Map<java.util.List<String>, Number> rows) {
        register(name, description, tagNames, rows, io.micrometer.core.instrument.MultiGauge.Row::of);
    }

    /**
     * A table whose rows read their values when scraped: registered again only when its rows
     * change, not on every update of a value (the Kafka consumer's lag moves on every poll).
     */
    public void liveTable(String name, String description, java.util.List<String> tagNames,
                          java.util.Map<java.util.List<String>, java.util.function.Supplier<Number>> rows) {
        register(name, description, tagNames, rows, io.micrometer.core.instrument.MultiGauge.Row::of);
    }

    private <V> void register(String name, String description, java.util.List<String> tagNames, java.util.Map<java.util.List<String>, V> rows,
                              java.util.function.BiFunction<io.micrometer.core.instrument.Tags, V, io.micrometer.core.instrument.MultiGauge.Row<?>> row) {
        io.micrometer.core.instrument.MultiGauge gauge = tables.computeIfAbsent(name,
                n -> io.micrometer.core.instrument.MultiGauge.builder(n).description(description).register(registry));
        java.util.List<io.micrometer.core.instrument.MultiGauge.Row<?>> list = new java.util.ArrayList<>();
        rows.forEach((key, value) -> {
            java.util.List<io.micrometer.core.instrument.Tag> tags = new java.util.ArrayList<>();
            for (int i = 0; i < tagNames.size(); i++) {
                tags.add(io.micrometer.core.instrument.Tag.of(tagNames.get(i), key.get(i)));
            }
            list.add(row.apply(io.micrometer.core.instrument.Tags.of(tags), value));
        });
        gauge.register(list, true);
    }

    public String scrape() {
        return registry.scrape();
    }
}
