package io.waymark.agent.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weaving itself, without a JVM agent: classes are loaded through a class loader that weaves
 * their bytes as the agent would, then run (the JVM verifies every woven method as it links it).
 */
class WeavingTest {
    private final List<JdbcHook.Captured> captured = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void uninstall() {
        JdbcHook.install(null);
        JdbcHook.reset();
    }

    @Test
    void wovenMethodsBehaveAsBeforeAndAreLeftAloneWhenNotAStatement() throws Exception {
        JdbcHook.install(captured::add);
        Class<?> shapes = new Weaving("io.waymark.agent.jdbc.shapes.").loadClass("io.waymark.agent.jdbc.shapes.Shapes");
        assertNotNull(JdbcInstrumentation.weave(bytes("io.waymark.agent.jdbc.shapes.Shapes")), "the shapes are woven");
        Object s = shapes.getConstructor().newInstance();
        assertEquals(true, call(s, "execute", new Class<?>[] {String.class}, "select 1"));
        SQLException thrown = assertThrows(SQLException.class, () -> call(s, "execute", new Class<?>[] {String.class}, (Object) null));
        assertEquals("no sql", thrown.getMessage(), "the method's own exception comes through unchanged");
        assertEquals(10L + 0 + 2 + 4 + 6, call(s, "executeLargeUpdate", new Class<?>[] {String.class, double.class, long.class}, "abcd", 2.0, 10L));
        assertEquals(42, call(s, "executeUpdate", new Class<?>[] {String.class, int[].class}, "42", new int[0]));
        assertEquals(-1, call(s, "executeUpdate", new Class<?>[] {String.class, int[].class}, "x", new int[200]));
        assertEquals(4.0, call(s, "executeQuery", new Class<?>[] {String.class, String.class}, "ab", "cd"));
        call(s, "executeBatch", new Class<?>[0]);
        assertArrayEquals(new int[] {5}, (int[]) call(s, "executeLargeBatch", new Class<?>[0]));
        assertEquals("SQL", call(s, "prepareStatement", new Class<?>[] {String.class, int.class}, "sql", 1));
        assertNull(call(s, "prepareStatement", new Class<?>[] {String.class, int.class}, "sql", 0));
        assertThrows(IllegalArgumentException.class, () -> call(s, "addBatch", new Class<?>[] {String.class}, ""));
        assertEquals(5, call(s, "calls", new Class<?>[0]));
        assertTrue(captured.isEmpty(), "not a Statement: nothing captured " + captured);
    }

    /**
     * A return that leaves more than its value on the stack (legal, and what some compilers emit)
     * cannot be turned into a jump to the shared exit: the method is left as it is rather than
     * woven into code the JVM would refuse to load.
     */
    @Test
    void aMethodReturningOverExtraStackValuesIsLeftAlone() throws Exception {
        assertNull(JdbcInstrumentation.weave(statementLike(true)), "not woven");
        assertNotNull(JdbcInstrumentation.weave(statementLike(false)), "the same method with a clean return is woven");
        Class<?> loaded = java.lang.invoke.MethodHandles.lookup().defineClass(statementLike(true));
        assertEquals(true, call(loaded.getConstructor().newInstance(), "execute", new Class<?>[] {String.class}, "select 1"));
    }

    /** {@code boolean execute(String)} returning true, with {@code this} left under the value when {@code extra}. */
    private static byte[] statementLike(boolean extra) {
        org.objectweb.asm.ClassWriter cw = new org.objectweb.asm.ClassWriter(org.objectweb.asm.ClassWriter.COMPUTE_MAXS);
        String name = "io/waymark/agent/jdbc/Odd" + (extra ? "Extra" : "Clean");
        cw.visit(org.objectweb.asm.Opcodes.V1_5, org.objectweb.asm.Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
        org.objectweb.asm.MethodVisitor init = cw.visitMethod(org.objectweb.asm.Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(org.objectweb.asm.Opcodes.ALOAD, 0);
        init.visitMethodInsn(org.objectweb.asm.Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(org.objectweb.asm.Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        org.objectweb.asm.MethodVisitor m = cw.visitMethod(org.objectweb.asm.Opcodes.ACC_PUBLIC, "execute", "(Ljava/lang/String;)Z", null,
                new String[] {"java/sql/SQLException"});
        m.visitCode();
        if (extra) {
            m.visitVarInsn(org.objectweb.asm.Opcodes.ALOAD, 0);
        }
        m.visitInsn(org.objectweb.asm.Opcodes.ICONST_1);
        m.visitInsn(org.objectweb.asm.Opcodes.IRETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** The real SQLite driver, woven: statements, prepared statements and batches are seen once each, failures not at all. */
    @Test
    void aWovenDriverReportsWhatTheHostRan() throws Exception {
        JdbcHook.install(captured::add);
        Weaving loader = new Weaving("org.sqlite.");
        java.sql.Driver driver = (java.sql.Driver) loader.loadClass("org.sqlite.JDBC").getConstructor().newInstance();
        try (Connection c = driver.connect("jdbc:sqlite::memory:", new Properties()); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE a (x INTEGER, y TEXT)");
            st.executeUpdate("CREATE TABLE b (x INTEGER)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO a VALUES (?, ?)")) {
                for (int i = 0; i < 3; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "v" + i);
                    ps.executeUpdate();
                }
            }
            st.addBatch("INSERT INTO b SELECT x FROM a");
            st.executeBatch();
            assertThrows(SQLException.class, () -> st.executeUpdate("INSERT INTO missing VALUES (1)"));
            try (var rs = st.executeQuery("SELECT count(*) FROM b")) {
                assertTrue(rs.next());
                assertEquals(3, rs.getInt(1), "the host's statements did their work");
            }
        }
        List<String> sql = captured.stream().map(JdbcHook.Captured::sql).toList();
        assertTrue(sql.stream().anyMatch(q -> q.startsWith("CREATE TABLE a")), sql.toString());
        assertEquals(1, sql.stream().filter(q -> q.startsWith("INSERT INTO a VALUES")).count(), "a prepared statement run three times: " + sql);
        assertTrue(sql.stream().anyMatch(q -> q.startsWith("INSERT INTO b SELECT")), "the batch: " + sql);
        assertTrue(sql.stream().anyMatch(q -> q.startsWith("SELECT count(*)")), sql.toString());
        assertTrue(sql.stream().noneMatch(q -> q.contains("missing")), "a failed statement is not lineage: " + sql);
        assertEquals("sqlite", captured.get(0).connection().dialect(), "connection facts come with each statement");
    }

    private static Object call(Object target, String name, Class<?>[] types, Object... args) throws Exception {
        Method m = target.getClass().getMethod(name, types);
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    private static byte[] bytes(String className) throws IOException {
        try (InputStream in = WeavingTest.class.getClassLoader().getResourceAsStream(className.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Loads classes under a prefix itself, woven (or as they are when there is nothing to weave); the rest from the parent. */
    private static final class Weaving extends ClassLoader {
        private final String prefix;

        Weaving(String prefix) {
            super(WeavingTest.class.getClassLoader());
            this.prefix = prefix;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(prefix)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        byte[] original = bytes(name);
                        byte[] woven = JdbcInstrumentation.weave(original);
                        byte[] b = woven != null ? woven : original;
                        c = defineClass(name, b, 0, b.length);
                    } catch (IOException | NullPointerException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            return getParent().getResourceAsStream(name);
        }
    }
}
