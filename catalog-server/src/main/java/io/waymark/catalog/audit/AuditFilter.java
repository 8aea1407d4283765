package io.waymark.catalog.audit;

import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.waymark.catalog.auth.Caller;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Records every write request (and every read a controller marks, such as a report export) in
 * the audit log before its response leaves: who, role, what, on what, from where, and the
 * status. A controller names the action and adds detail with {@link #describe}; otherwise the
 * entry is {@code http.METHOD} on the route. Refused authentication is recorded by
 * {@link io.waymark.catalog.auth.AuthRejections}, not here.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class AuditFilter {
    private static final String ACTION = "waymark.audit.action";
    private static final String TARGET = "waymark.audit.target";
    private static final String DETAIL = "waymark.audit.detail";
    private static final String ELSEWHERE = "waymark.audit.elsewhere";

    private final AuditLog audit;

    public AuditFilter(AuditLog audit) {
        this.audit = audit;
    }

    /** Names what a request did, for its audit entry; marks a read (an export) as audited too. */
    public static void describe(HttpRequest<?> request, String action, String target, Map<String, Object> detail) {
        request.setAttribute(ACTION, action);
        if (target != null) {
            request.setAttribute(TARGET, target);
        }
        if (detail != null) {
            request.setAttribute(DETAIL, detail);
        }
    }

    /** The controller committed the request's audit entry itself (with the data it wrote): a success needs no second one. */
    public static void recordedElsewhere(HttpRequest<?> request) {
        request.setAttribute(ELSEWHERE, true);
    }

    /**
     * Answers once the entry is committed, without holding a thread meanwhile: the audit writer's
     * group commit completes the future.
     */
    @ResponseFilter
    public CompletableFuture<MutableHttpResponse<?>> record(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String action = request.getAttribute(ACTION, String.class).orElse(null);
        boolean write = request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD && request.getMethod() != HttpMethod.OPTIONS;
        int status = response.code();
        boolean elsewhere = request.getAttribute(ELSEWHERE, Boolean.class).orElse(false) && status < 400;
        if ((!write && action == null) || status == 401 || status == 403 || elsewhere) {
            return CompletableFuture.completedFuture(response);
        }
        Caller caller = Caller.of(request);
        Map<String, Object> detail = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> described = request.getAttribute(DETAIL, Map.class).orElse(null);
        if (described != null) {
            detail.putAll(described);
        }
        detail.put("status", status);
        if (action == null) {
            detail.put("route", BasicHttpAttributes.getUriTemplate(request).orElse(request.getPath()));
        }
        return audit.submit(new AuditLog.Entry(caller.name(), caller.role(), action != null ? action : "http." + request.getMethodName(),
                request.getAttribute(TARGET, String.class).orElse(request.getPath()), detail, caller.remote())).thenApply(done -> response);
    }
}
