package io.waymark.catalog.api;

import io.micronaut.aop.Around;
import io.micronaut.aop.InterceptorBean;
import io.micronaut.aop.MethodInterceptor;
import io.micronaut.aop.MethodInvocationContext;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.context.ServerRequestContext;
import jakarta.inject.Singleton;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A GET answer is made within one turn of {@link ReadLimits}: its graph reads, the tree built from
 * them and the bytes written from the tree. Before, a request held its turn for the reads only and
 * then built its answer and waited to write it, so 96 viewers of a huge job held 96 answers in the
 * heap at once (about 400 MB): young collections copied them, pausing every thread, {@code /health}'s
 * too, for 120–480 ms. Now a waiting request holds nothing, and what leaves a turn is the answer's
 * bytes ({@link JsonView#ok}). Other methods (writes) are not gated.
 *
 * <p>Identical GETs (method, URI with its query, and the credentials and content negotiation that
 * could make answers differ) waiting for their turn at once share one read ({@link ReadLimits}):
 * the answer is written to bytes once and each request gets its own response around them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Around
public @interface ReadTurn {
    @Singleton
    @InterceptorBean(ReadTurn.class)
    class Interceptor implements MethodInterceptor<Object, Object> {
        private final ReadLimits reads;

        Interceptor(ReadLimits reads) {
            this.reads = reads;
        }

        @Override
        public Object intercept(MethodInvocationContext<Object, Object> context) {
            if (!context.hasAnnotation(Get.class)) {
                return context.proceed();
            }
            return reads.run(ServerRequestContext.currentRequest().map(Interceptor::key).orElse(null), context::proceed, SHARING);
        }

        private static String key(HttpRequest<?> request) {
            HttpHeaders headers = request.getHeaders();
            return String.join("\n", request.getMethodName(), request.getUri().toString(),
                    String.valueOf(headers.get(HttpHeaders.AUTHORIZATION)), String.valueOf(headers.get(HttpHeaders.COOKIE)),
                    String.valueOf(headers.get(HttpHeaders.ACCEPT)));
        }

        /** A response as it left its controller: what requests that joined its read are answered with. */
        private record Shared(HttpStatus status, String reason, List<Map.Entry<String, String>> headers, Object body) {}

        private static final ReadLimits.Sharing<Object> SHARING = new ReadLimits.Sharing<>() {
            @Override
            public Object share(Object answer, boolean joined) {
                if (!(answer instanceof MutableHttpResponse<?> response)) {
                    return answer; // a value Micronaut writes for each request; nothing changes it
                }
                Object body = response.body();
                if (joined && body instanceof JsonBody streamed) {
                    // An answer that writes itself when sent (a lineage graph) is written once for all of them.
                    body = streamed.written();
                    ((MutableHttpResponse<Object>) response).body(body);
                }
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                response.getHeaders().forEach((name, values) -> values.forEach(value -> headers.add(Map.entry(name, value))));
                return new Shared(response.status(), response.reason(), headers, body);
            }

            @Override
            public Object copy(Object shared) {
                if (!(shared instanceof Shared response)) {
                    return shared;
                }
                MutableHttpResponse<Object> own = HttpResponse.status(response.status(), response.reason());
                response.headers().forEach(header -> own.header(header.getKey(), header.getValue()));
                return response.body() == null ? own : own.body(response.body());
            }
        };
    }
}
