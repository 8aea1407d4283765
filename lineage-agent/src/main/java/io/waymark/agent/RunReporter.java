package io.waymark.agent;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;
import io.waymark.sql.SqlLineage;
import io.waymark.agent.transport.Emitter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One run of a job, reported as OpenLineage events: START, RUNNING while its lineage grows (at
 * most once per interval), and COMPLETE or FAIL with the exit code, an error message and the
 * statements the agent could not analyse. Each event carries all lineage seen so far, so any one
 * of them alone describes the run.
 */
public final class RunReporter {
    static final URI PRODUCER = URI.create("https://github.com/waymark-lineage/waymark/tree/main/lineage-agent");
    private static final URI FACET_SCHEMA = URI.create("https://waymark.io/spec/facets/1-0-0/WaymarkExitRunFacet.json");

    private final OpenLineage ol = new OpenLineage(PRODUCER);

    /**
     * Waymark's run facet (exit code, statements not analysed). Its schema URL is its own; put among
     * the additional properties it was written twice ("Duplicate field '_schemaURL'"), which
     * Waymark refuses and which only went unnoticed while each event was read back before sending.
     */
    private static final class ExitFacet extends OpenLineage.DefaultRunFacet {
        ExitFacet() {
            super(PRODUCER);
        }

        @Override
        public URI get_schemaURL() {
            return FACET_SCHEMA;
        }
    }
    private final Emitter emitter;
    private final String namespace;
    private final String job;
    private final String integration;
    private final UUID runId = newRunId();
    private final AgentConfig config;
    private final ZonedDateTime started = now();
    /**
     * Events are built and queued on one daemon thread, in order: building the first one loads
     * Jackson and the OpenLineage model (a few hundred ms), which must not delay the host's start.
     */
    private final java.util.concurrent.ExecutorService builder = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "waymark-agent-events");
        t.setDaemon(true);
        return t;
    });

    public RunReporter(Emitter emitter, AgentConfig config, String namespace, String job, String integration) {
        this.emitter = emitter;
        this.config = config;
        this.namespace = namespace;
        this.job = job;
        this.integration = integration;
    }

    public UUID runId() {
        return runId;
    }

    public void start(RunLineage.Snapshot lineage) {
        builder.submit(() -> emit(OpenLineage.RunEvent.EventType.START, lineage, runFacets(null, null, null)));
    }

    public void running(RunLineage.Snapshot lineage) {
        builder.submit(() -> emit(OpenLineage.RunEvent.EventType.RUNNING, lineage, runFacets(null, null, lineage)));
    }

    /** COMPLETE for exit code 0 without an error, FAIL otherwise; waits at most {@code timeout} for it to be queued. */
    public void finish(RunLineage.Snapshot lineage, int exitCode, String errorMessage, Throwable error, Map<String, Object> extra,
                       java.time.Duration timeout) {
        var done = builder.submit(() -> buildFinal(lineage, exitCode, errorMessage, error, extra));
        try {
            done.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Not built in time (or failed): the host's exit is not delayed further.
        }
    }

    private void buildFinal(RunLineage.Snapshot lineage, int exitCode, String errorMessage, Throwable error, Map<String, Object> extra) {
        boolean ok = exitCode == 0 && errorMessage == null && error == null;
        OpenLineage.RunFacetsBuilder facets = runFacets(exitCode, extra, lineage);
        if (!ok) {
            String message = errorMessage != null ? errorMessage : error != null ? String.valueOf(error) : "exit code " + exitCode;
            facets.errorMessage(ol.newErrorMessageRunFacetBuilder().message(message).programmingLanguage(error != null ? "JAVA" : "shell")
                    .stackTrace(error == null ? null : stackTrace(error)).build());
        }
        emit(ok ? OpenLineage.RunEvent.EventType.COMPLETE : OpenLineage.RunEvent.EventType.FAIL, lineage, facets);
    }

    private OpenLineage.RunFacetsBuilder runFacets(Integer exitCode, Map<String, Object> extra, RunLineage.Snapshot lineage) {
        OpenLineage.RunFacetsBuilder facets = ol.newRunFacetsBuilder()
                .processing_engine(ol.newProcessingEngineRunFacetBuilder().name("waymark-agent").version(Version.get())
                        .openlineageAdapterVersion(Version.openLineage()).build());
        String parentRun = config.get("parentRunId");
        String parentName = config.get("parentJobName");
        if (parentRun != null && parentName != null) {
            try {
                facets.parent(ol.newParentRunFacetBuilder()
                        .run(ol.newParentRunFacetRunBuilder().runId(UUID.fromString(parentRun)).build())
                        .job(ol.newParentRunFacetJobBuilder().namespace(config.get("parentJobNamespace", namespace)).name(parentName).build())
                        .build());
            } catch (IllegalArgumentException ignored) {
                // A parent run id that is not a UUID cannot be sent; the run is reported without it.
            }
        }
        if (exitCode != null || (extra != null && !extra.isEmpty())) {
            OpenLineage.RunFacet exit = new ExitFacet();
            if (exitCode != null) {
                exit.getAdditionalProperties().put("exitCode", exitCode);
            }
            if (extra != null) {
                exit.getAdditionalProperties().putAll(extra);
            }
            facets.put("waymark_exit", exit);
        }
        if (lineage != null && lineage.failed() > 0) {
            List<OpenLineage.ExtractionErrorRunFacetErrors> errors = new ArrayList<>();
            lineage.failures().forEach(f -> errors.add(ol.newExtractionErrorRunFacetErrorsBuilder().errorMessage(f.message()).task(f.sql()).build()));
            facets.extractionError(ol.newExtractionErrorRunFacetBuilder().totalTasks((long) lineage.statements()).failedTasks((long) lineage.failed())
                    .errors(errors).build());
        }
        return facets;
    }

    private void emit(OpenLineage.RunEvent.EventType type, RunLineage.Snapshot lineage, OpenLineage.RunFacetsBuilder runFacets) {
        try {
            OpenLineage.RunEvent event = event(type, lineage, runFacets);
            emitter.emit(event, OpenLineageClientUtils.toJson(event));
        } catch (RuntimeException | LinkageError e) {
            Agent.warn(type + " event not sent: " + e);
        }
    }

    private OpenLineage.RunEvent event(OpenLineage.RunEvent.EventType type, RunLineage.Snapshot lineage, OpenLineage.RunFacetsBuilder runFacets) {
        return ol.newRunEventBuilder()
                .eventType(type)
                .eventTime(type == OpenLineage.RunEvent.EventType.START ? started : now())
                .run(ol.newRunBuilder().runId(runId).facets(runFacets.build()).build())
                .job(ol.newJobBuilder().namespace(namespace).name(job).facets(ol.newJobFacetsBuilder()
                        .jobType(ol.newJobTypeJobFacetBuilder().processingType("BATCH").integration(integration).jobType("JOB").build())
                        .build()).build())
                .inputs(lineage == null ? List.of() : inputs(lineage))
                .outputs(lineage == null ? List.of() : outputs(lineage))
                .build();
    }

    private List<OpenLineage.InputDataset> inputs(RunLineage.Snapshot lineage) {
        List<OpenLineage.InputDataset> inputs = new ArrayList<>();
        for (RunLineage.Dataset d : lineage.inputs()) {
            inputs.add(ol.newInputDatasetBuilder().namespace(d.namespace()).name(d.name()).facets(datasetFacets(d, lineage, false)).build());
        }
        return inputs;
    }

    private List<OpenLineage.OutputDataset> outputs(RunLineage.Snapshot lineage) {
        List<OpenLineage.OutputDataset> outputs = new ArrayList<>();
        for (RunLineage.Dataset d : lineage.outputs()) {
            outputs.add(ol.newOutputDatasetBuilder().namespace(d.namespace()).name(d.name()).facets(datasetFacets(d, lineage, true)).build());
        }
        return outputs;
    }

    private OpenLineage.DatasetFacets datasetFacets(RunLineage.Dataset d, RunLineage.Snapshot lineage, boolean output) {
        OpenLineage.DatasetFacetsBuilder facets = ol.newDatasetFacetsBuilder()
                .dataSource(ol.newDatasourceDatasetFacetBuilder().name(d.namespace()).uri(dataSourceUri(d.namespace())).build());
        List<SqlLineage.ColumnDef> schema = lineage.schemas().get(d);
        if (schema != null) {
            List<OpenLineage.SchemaDatasetFacetFields> fields = new ArrayList<>();
            schema.forEach(c -> fields.add(ol.newSchemaDatasetFacetFieldsBuilder().name(c.name()).type(c.type()).build()));
            facets.schema(ol.newSchemaDatasetFacetBuilder().fields(fields).build());
        }
        Map<String, List<RunLineage.Source>> columns = output ? lineage.columnLineage().get(d) : null;
        List<RunLineage.Source> indirect = output ? lineage.indirect().get(d) : null;
        if ((columns != null && !columns.isEmpty()) || (indirect != null && !indirect.isEmpty())) {
            OpenLineage.ColumnLineageDatasetFacetFieldsBuilder fields = ol.newColumnLineageDatasetFacetFieldsBuilder();
            if (columns != null) {
                columns.forEach((name, sources) -> fields.put(name,
                        ol.newColumnLineageDatasetFacetFieldsAdditionalBuilder().inputFields(inputFields(sources)).build()));
            }
            facets.columnLineage(ol.newColumnLineageDatasetFacetBuilder().fields(fields.build())
                    .dataset(indirect == null ? List.of() : inputFields(indirect)).build());
        }
        return facets.build();
    }

    private List<OpenLineage.InputField> inputFields(List<RunLineage.Source> sources) {
        List<OpenLineage.InputField> fields = new ArrayList<>();
        for (RunLineage.Source s : sources) {
            fields.add(ol.newInputFieldBuilder().namespace(s.dataset().namespace()).name(s.dataset().name()).field(s.field())
                    .transformations(List.of(ol.newInputFieldTransformationsBuilder().type(s.type()).subtype(s.subtype())
                            .masking(s.masking()).build()))
                    .build());
        }
        return fields;
    }

    private static URI dataSourceUri(String namespace) {
        try {
            return URI.create(namespace);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 8000 ? s.substring(0, 8000) : s;
    }

    private static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }

    /** Time-ordered (UUIDv7), as OpenLineage recommends for run ids. */
    static UUID newRunId() {
        long millis = System.currentTimeMillis();
        java.security.SecureRandom random = new java.security.SecureRandom();
        long high = (millis << 16) | 0x7000L | (random.nextInt() & 0x0fffL);
        long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
