package io.waymark.catalog.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.model.Times;
import io.waymark.sql.SqlLineage;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.waymark.catalog.api.JsonView.F;

/**
 * The lineage a view's definition gives, parsed with the same SQL lineage code the agent runs on a
 * job's statements: an OpenLineage JobEvent (static lineage, spec 2-0-2) whose job is the view's
 * query (named like the view, {@code jobType} VIEW, the SQL in the {@code sql} facet), reading
 * the tables the query names and writing the view with its column lineage. So the graph shows
 * what a view shows of which table, and labels propagate into views like into any derived field.
 */
final class ViewLineage {
    private static final Pattern TRAILING_SEMICOLONS = Pattern.compile("[;\\s]+$");
    private static final Pattern CREATE_VIEW = Pattern.compile("(?is)^\\s*CREATE\\b.*");

    private ViewLineage() {}

    /**
     * The JobEvent of one view, or empty when its definition is unknown or not understood (the
     * view is still catalogued by its DatasetEvent; lineage is only what the SQL proves).
     *
     * @param defaultSchema the schema unqualified names resolve to (the connection's current one)
     * @param scanned       the columns of each dataset this scan read, by dataset name
     */
    static Optional<String> event(DatasetNaming.Source source, Scanner.Table view, String viewName, String defaultSchema,
                                  Map<String, List<String>> scanned) {
        if (view.definition() == null || view.definition().isBlank()) {
            return Optional.empty();
        }
        String sql = TRAILING_SEMICOLONS.matcher(view.definition()).replaceAll("");
        if (!CREATE_VIEW.matcher(sql).matches()) {
            // PostgreSQL and MySQL keep the query only; a stand-in name makes it a view statement again.
            sql = "CREATE VIEW waymark_view_definition AS " + sql;
        }
        SqlLineage.Effect effect;
        try {
            effect = SqlLineage.analyse(sql, t -> scanned.get(datasetName(source, t, view.schema(), defaultSchema, scanned)));
        } catch (Exception e) {
            return Optional.empty();
        }
        if (effect.inputs().isEmpty()) {
            return Optional.empty();
        }
        ObjectNode event = F.objectNode().put("eventTime", Times.format(Instant.now())).put("producer", Discovery.PRODUCER)
                .put("schemaURL", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent");
        ObjectNode job = event.putObject("job").put("namespace", source.namespace()).put("name", viewName);
        ObjectNode jobFacets = job.putObject("facets");
        jobFacets.putObject("jobType").put("_producer", Discovery.PRODUCER)
                .put("_schemaURL", "https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet")
                .put("processingType", "BATCH").put("integration", "WAYMARK_DISCOVERY").put("jobType", "VIEW");
        jobFacets.putObject("sql").put("_producer", Discovery.PRODUCER)
                .put("_schemaURL", "https://openlineage.io/spec/facets/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet")
                .put("query", view.definition().strip());
        ArrayNode inputs = event.putArray("inputs");
        effect.inputs().forEach(t -> inputs.addObject().put("namespace", source.namespace())
                .put("name", datasetName(source, t, view.schema(), defaultSchema, scanned)));
        ObjectNode output = event.putArray("outputs").addObject().put("namespace", source.namespace()).put("name", viewName);
        if (!effect.columnLineage().isEmpty() || !effect.indirect().isEmpty()) {
            ObjectNode lineage = output.putObject("facets").putObject("columnLineage").put("_producer", Discovery.PRODUCER)
                    .put("_schemaURL", "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet");
            ObjectNode fields = lineage.putObject("fields");
            for (Map.Entry<String, List<SqlLineage.Source>> e : effect.columnLineage().entrySet()) {
                inputFields(fields.putObject(outputName(view, e.getKey())).putArray("inputFields"), e.getValue(), source, view, defaultSchema, scanned);
            }
            inputFields(lineage.putArray("dataset"), effect.indirect(), source, view, defaultSchema, scanned);
        }
        return Optional.of(JsonView.write(event));
    }

    private static void inputFields(ArrayNode target, List<SqlLineage.Source> sources, DatasetNaming.Source source, Scanner.Table view,
                                    String defaultSchema, Map<String, List<String>> scanned) {
        for (SqlLineage.Source s : sources) {
            ObjectNode field = target.addObject().put("namespace", source.namespace())
                    .put("name", datasetName(source, s.table(), view.schema(), defaultSchema, scanned)).put("field", column(scanned, source, s, view, defaultSchema));
            field.putArray("transformations").addObject().put("type", s.type()).put("subtype", s.subtype()).put("masking", s.masking());
        }
    }

    /** The view's own spelling of an output column (the SQL may differ in case from what the catalog reports). */
    private static String outputName(Scanner.Table view, String column) {
        return view.columns().stream().map(Scanner.Column::name).filter(column::equalsIgnoreCase).findFirst().orElse(column);
    }

    /** An input column as the scan spelled it (SQLite and MySQL match names without regard to case). */
    private static String column(Map<String, List<String>> scanned, DatasetNaming.Source source, SqlLineage.Source s, Scanner.Table view,
                                 String defaultSchema) {
        List<String> known = scanned.get(datasetName(source, s.table(), view.schema(), defaultSchema, scanned));
        return known == null ? s.column() : known.stream().filter(s.column()::equalsIgnoreCase).findFirst().orElse(s.column());
    }

    /**
     * A table the view's SQL names, as a dataset name of this source: unqualified names live in
     * the connection's current schema (PostgreSQL) or the view's own database or schema (others); spelled as
     * the scan found it where only case differs, so the view's inputs are the scanned nodes.
     */
    static String datasetName(DatasetNaming.Source source, SqlLineage.TableRef t, String viewSchema, String defaultSchema,
                              Map<String, List<String>> scanned) {
        String name = named(source, t, viewSchema, defaultSchema);
        if (scanned.containsKey(name)) {
            return name;
        }
        return scanned.keySet().stream().filter(name::equalsIgnoreCase).findFirst().orElse(name);
    }

    private static String named(DatasetNaming.Source source, SqlLineage.TableRef t, String viewSchema, String defaultSchema) {
        return switch (source.product()) {
            case "postgresql" -> source.name(t.schema() != null ? t.schema() : defaultSchema != null ? defaultSchema : "public", t.table());
            case "mysql" -> source.name(t.schema() != null ? t.schema() : t.catalog() != null ? t.catalog() : viewSchema, t.table());
            case "sqlite" -> t.table();
            // Other products name schema.table under the connection's database, unqualified names in the view's schema.
            default -> source.name(t.schema() != null ? t.schema() : viewSchema, t.table());
        };
    }
}
