package io.waymark.agent.jdbc;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Weaves {@link JdbcHook} calls into every JDBC driver's Statement, PreparedStatement and
 * Connection classes as they load: the execute methods (with SQL, without, batches) and
 * prepareStatement/prepareCall. The advice is inlined into the driver's code and catches
 * everything it could throw, so a broken agent can never fail a statement.
 */
public final class JdbcInstrumentation {
    private static final String[] EXECUTE = {"execute", "executeQuery", "executeUpdate", "executeLargeUpdate"};

    private JdbcInstrumentation() {}

    public static void install(Instrumentation instrumentation) {
        ElementMatcher.Junction<TypeDescription> concrete = not(isInterface()).and(not(nameStartsWith("io.waymark.agent.")))
                .and(not(nameStartsWith("java."))).and(not(nameStartsWith("jdk."))).and(not(nameStartsWith("sun.")));
        ClassFileTransformer woven = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                // Advice only visits methods: no method graphs to compile, descriptions straight from the class bytes.
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
                .with(AgentBuilder.PoolStrategy.Default.FAST)
                .with(AgentBuilder.Listener.NoOp.INSTANCE)
                .ignore(nameStartsWith("net.bytebuddy.").or(nameStartsWith("io.waymark.agent.shaded.")).or(nameStartsWith("jdk."))
                        .or(nameStartsWith("java.")).or(nameStartsWith("sun.")).or(nameStartsWith("com.sun.")))
                // Drivers often implement the methods in an abstract base class that does not itself
                // implement java.sql.Statement (sqlite-jdbc's JDBC3Statement): such a class is
                // recognised by declaring executeQuery(String) returning a ResultSet.
                .type(isSubTypeOf(java.sql.Statement.class).or(declaresMethod(named("executeQuery")
                        .and(returns(named("java.sql.ResultSet"))))).and(concrete))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(WithSql.class).on(namedOneOf(EXECUTE).and(takesArgument(0, String.class)).and(not(isAbstract()))))
                        .visit(Advice.to(WithoutSql.class).on(namedOneOf(EXECUTE).and(takesArguments(0)).and(not(isAbstract()))))
                        .visit(Advice.to(WithoutSql.class).on(namedOneOf("executeBatch", "executeLargeBatch").and(takesArguments(0))
                                .and(not(isAbstract()))))
                        .visit(Advice.to(AddBatch.class).on(named("addBatch").and(takesArguments(String.class)).and(not(isAbstract()))))
                        .visit(Advice.to(ClearBatch.class).on(named("clearBatch").and(takesArguments(0)).and(not(isAbstract())))))
                .type(isSubTypeOf(java.sql.Connection.class).or(declaresMethod(named("prepareStatement")
                        .and(returns(isSubTypeOf(java.sql.PreparedStatement.class))))).and(concrete))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(Prepare.class).on(namedOneOf("prepareStatement", "prepareCall")
                                .and(takesArgument(0, String.class)).and(returns(isSubTypeOf(java.sql.Statement.class))).and(not(isAbstract())))))
                .makeRaw();
        instrumentation.addTransformer(new JdbcOnly(woven));
    }

    /**
     * Hands ByteBuddy only classes whose bytes mention {@code java/sql/}: every class it could
     * weave does (its interfaces or its executeQuery's ResultSet), and a byte scan costs
     * microseconds where describing a class costs milliseconds on a cold JVM, for each of the
     * thousands of classes a host loads.
     */
    private record JdbcOnly(ClassFileTransformer delegate) implements ClassFileTransformer {
        private static final byte[] MARK = "java/sql/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        @Override
        public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
                throws IllegalClassFormatException {
            if (name == null || name.startsWith("java/") || name.startsWith("jdk/") || name.startsWith("sun/")
                    || name.startsWith("io/waymark/agent/") || !mentions(bytes)) {
                return null;
            }
            return delegate.transform(module, loader, name, redefined, domain, bytes);
        }

        @Override
        public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
                throws IllegalClassFormatException {
            return transform(null, loader, name, redefined, domain, bytes);
        }

        private static boolean mentions(byte[] bytes) {
            outer:
            for (int i = 0, last = bytes.length - MARK.length; i <= last; i++) {
                if (bytes[i] != 'j') {
                    continue;
                }
                for (int k = 1; k < MARK.length; k++) {
                    if (bytes[i + k] != MARK[k]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }

    /** execute(String …) and friends. */
    static final class WithSql {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            JdbcHook.enter();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(0) String sql, @Advice.Thrown Throwable thrown) {
            JdbcHook.exit(self, sql, thrown == null);
        }
    }

    /** A prepared statement's execute methods, and executeBatch. */
    static final class WithoutSql {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            JdbcHook.enter();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Thrown Throwable thrown) {
            JdbcHook.exit(self, null, thrown == null);
        }
    }

    static final class AddBatch {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(0) String sql) {
            JdbcHook.addBatch(self, sql);
        }
    }

    static final class ClearBatch {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object self) {
            JdbcHook.clearBatch(self);
        }
    }

    static final class Prepare {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return Object statement, @Advice.Argument(0) String sql) {
            JdbcHook.prepared(statement, sql);
        }
    }
}
