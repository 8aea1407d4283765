package io.waymark.catalog.kafka;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.auth.Roles;

import java.util.Map;

import static io.waymark.catalog.api.JsonView.F;

/** {@code GET /api/v1/kafka}: the consumer's state; {@code GET /api/v1/kafka/rejections}: the records it set aside. */
@Controller("/api/v1/kafka")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
public class KafkaController {
    private final KafkaIngest ingest;
    private final KafkaRejections rejections;

    public KafkaController(KafkaIngest ingest, KafkaRejections rejections) {
        this.ingest = ingest;
        this.rejections = rejections;
    }

    @Get
    public HttpResponse<?> status() {
        ObjectNode body = F.objectNode().put("enabled", ingest.enabled());
        if (ingest.enabled()) {
            body.set("consumer", io.waymark.catalog.ingest.Json.STRICT.valueToTree(ingest.status()));
        }
        return JsonView.ok(body.put("rejected", rejections.count(null)));
    }

    @Get("/rejections")
    public HttpResponse<?> rejections(@Nullable @QueryValue Integer limit, @Nullable @QueryValue Integer offset, @Nullable @QueryValue String topic) {
        int l = limit == null ? 100 : limit;
        int o = offset == null ? 0 : offset;
        HttpResponse<?> badPage = JsonView.badPage(l, o, 1000);
        if (badPage != null) {
            return badPage;
        }
        ArrayNode list = F.arrayNode();
        for (Map<String, Object> r : rejections.list(l, o, topic)) {
            ObjectNode row = list.addObject();
            row.put("id", ((Number) r.get("id")).longValue())
                    .put("receivedAt", (String) r.get("received_at"))
                    .put("topic", (String) r.get("topic"))
                    .put("partition", ((Number) r.get("partition_no")).intValue())
                    .put("offset", ((Number) r.get("record_offset")).longValue())
                    .put("key", (String) r.get("record_key"))
                    .put("error", (String) r.get("error"))
                    .put("field", (String) r.get("field"))
                    .put("detail", (String) r.get("detail"))
                    .put("payloadBytes", ((Number) r.get("payload_bytes")).longValue())
                    .put("payload", (String) r.get("payload"))
                    .put("deadLetter", (String) r.get("dead_letter"));
        }
        ObjectNode body = F.objectNode().put("totalCount", rejections.count(topic));
        body.set("rejections", list);
        return JsonView.ok(body);
    }
}
