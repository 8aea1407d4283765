package io.waymark.agent;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import java.lang.instrument.Instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JVM's exit status, which a shutdown hook cannot ask for: Runtime.exit(int) (behind
 * System.exit) is woven to note its argument in a system property before exiting. The woven code
 * lives in a bootstrap class and may only use bootstrap classes, hence a property, not a field.
 * An uncaught exception in main counts as status 1, as the java launcher returns.
 */
final class ExitStatus {
    static final String PROPERTY = "waymark.agent.exitStatus";

    private ExitStatus() {}

    static void install(Instrumentation instrumentation) {
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
                .ignore(none())
                .type(named("java.lang.Runtime"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(OnExit.class).on(named("exit").and(takesArguments(int.class)))))
                .installOn(instrumentation);
    }

    /** The status passed to System.exit / Runtime.exit, or null when the JVM ended otherwise. */
    static Integer requested() {
        String s = System.getProperty(PROPERTY);
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static final class OnExit {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) int status) {
            System.setProperty("waymark.agent.exitStatus", Integer.toString(status));
        }
    }
}
