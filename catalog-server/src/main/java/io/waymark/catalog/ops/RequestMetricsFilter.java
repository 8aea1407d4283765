package io.waymark.catalog.ops;

import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Records every request's latency by route template (not raw path, which would explode label cardinality). */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestMetricsFilter {
    private static final String STARTED = "waymark.request.started";

    private final Metrics metrics;

    public RequestMetricsFilter(Metrics metrics) {
        this.metrics = metrics;
    }

    @RequestFilter
    public void start(HttpRequest<?> request) {
        request.setAttribute(STARTED, System.nanoTime());
    }

    @ResponseFilter
    public void finish(HttpRequest<?> request, MutableHttpResponse<?> response) {
        Long started = request.getAttribute(STARTED, Long.class).orElse(null);
        if (started != null) {
            String route = BasicHttpAttributes.getUriTemplate(request).orElse("unmatched");
            metrics.request(request.getMethodName(), route, response.code(), System.nanoTime() - started);
        }
    }
}
