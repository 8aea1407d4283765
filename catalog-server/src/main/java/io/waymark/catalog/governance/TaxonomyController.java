package io.waymark.catalog.governance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.waymark.catalog.api.JsonView;
import io.waymark.catalog.auth.Roles;
import io.waymark.policy.taxonomy.Classification;
import io.waymark.policy.taxonomy.Taxonomy;

import java.util.Comparator;

import static io.waymark.catalog.api.JsonView.F;

/** {@code GET /api/v1/classifications}: the taxonomy's codes, for pickers and for reading a label's meaning. */
@Controller("/api/v1/classifications")
@Secured(Roles.VIEWER)
public class TaxonomyController {
    private final Taxonomy taxonomy;

    public TaxonomyController(Taxonomy taxonomy) {
        this.taxonomy = taxonomy;
    }

    @Get
    public HttpResponse<?> list() {
        ArrayNode list = F.arrayNode();
        taxonomy.all().stream().sorted(Comparator.comparing(Classification::code)).forEach(c -> {
            ObjectNode node = list.addObject().put("code", c.code()).put("family", c.family()).put("description", c.description())
                    .put("personalData", c.personalData()).put("gdprSpecial", c.gdprSpecial());
            c.hipaaIdentifier().ifPresent(h -> node.put("hipaaIdentifier", h));
            c.pciElement().ifPresent(p -> node.put("pciElement", p));
        });
        ObjectNode body = F.objectNode().put("version", taxonomy.version());
        body.set("classifications", list);
        return JsonView.ok(body);
    }
}
