package io.waymark.catalog.api;

import io.micronaut.aop.Around;
import io.micronaut.aop.InterceptorBean;
import io.micronaut.aop.MethodInterceptor;
import io.micronaut.aop.MethodInvocationContext;
import io.micronaut.http.annotation.Get;
import jakarta.inject.Singleton;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A GET answer is made within one turn of {@link ReadLimits}: its graph reads, the tree built from
 * them and the bytes written from the tree. Before, a request held its turn for the reads only and
 * then built its answer and waited to write it, so 96 viewers of a huge job held 96 answers in the
 * heap at once (about 400 MB): young collections copied them, pausing every thread, {@code /health}'s
 * too, for 120–480 ms. Now a waiting request holds nothing, and what leaves a turn is the answer's
 * bytes ({@link JsonView#ok}). Other methods (writes) are not gated.
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
            return context.hasAnnotation(Get.class) ? reads.run(context::proceed) : context.proceed();
        }
    }
}
