package io.waymark.catalog.ops;

import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.waymark.catalog.auth.Roles;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.io.IOException;
import java.io.InputStream;

/** Prometheus metrics and the OpenAPI document; {@link HealthController} answers /health. */
@Controller
@Secured(Roles.VIEWER)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OpsController {
    private final Metrics metrics;

    public OpsController(Metrics metrics) {
        this.metrics = metrics;
    }

    @Secured(SecurityRule.IS_ANONYMOUS)
    @Get(value = "/metrics", produces = "text/plain; version=0.0.4; charset=utf-8")
    public String metrics() {
        return metrics.scrape();
    }

    @Get(value = "/api/v1/openapi.yml", produces = "application/yaml")
    public HttpResponse<byte[]> openapi() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi/waymark.yml")) {
            if (in == null) {
                return HttpResponse.notFound();
            }
            return HttpResponse.ok(in.readAllBytes()).contentType(MediaType.of("application/yaml"));
        }
    }
}
