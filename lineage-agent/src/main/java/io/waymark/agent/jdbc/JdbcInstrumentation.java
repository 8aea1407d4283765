package io.waymark.agent.jdbc;

import io.waymark.agent.weave.Weaver;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.Set;

/**
 * Weaves {@link JdbcHook} calls into JDBC drivers' classes as they load: the execute methods
 * (with SQL, without, batches), addBatch/clearBatch, prepareStatement/prepareCall and close. Plain ASM
 * on the class bytes: any class that mentions {@code java/sql/} and declares such a method is
 * woven, without resolving its type hierarchy (which is what made the ByteBuddy version cost
 * 0.6–0.8 s of every JVM's start); the hooks check at run time that the object is a
 * {@link java.sql.Statement}, so a host's own {@code execute(String)} is left alone. Every hook
 * call is guarded (see {@link Weaver}): a broken agent can never fail a statement.
 */
public final class JdbcInstrumentation {
    private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate");
    private static final Set<String> BATCH = Set.of("executeBatch", "executeLargeBatch");
    private static final Set<String> PREPARE = Set.of("prepareStatement", "prepareCall");
    private static final String HOOK = "io/waymark/agent/jdbc/JdbcHook";
    private static final byte[] MARK = "java/sql/".getBytes(StandardCharsets.US_ASCII);
    private static final int SKIPPED = Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC;

    private JdbcInstrumentation() {}

    public static void install(Instrumentation instrumentation) {
        instrumentation.addTransformer(new Transformer());
    }

    /** The class's bytes woven, or null when it has nothing to weave (the JVM then keeps its own bytes). */
    static byte[] weave(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        if ((reader.getAccess() & Opcodes.ACC_INTERFACE) != 0) {
            return null;
        }
        ClassNode node = new ClassNode();
        reader.accept(node, ClassReader.EXPAND_FRAMES);
        boolean frames = (node.version & 0xFFFF) >= Opcodes.V1_6;
        boolean woven = false;
        for (MethodNode method : node.methods) {
            Weaver.Hooks hooks = (method.access & SKIPPED) != 0 ? null : hooks(method.name, method.desc);
            if (hooks != null && Weaver.wrap(node.name, method, frames, hooks)) {
                woven = true;
            }
        }
        if (!woven) {
            return null;
        }
        ClassWriter writer = new ClassWriter(0);
        node.accept(writer);
        return writer.toByteArray();
    }

    private static Weaver.Hooks hooks(String name, String desc) {
        boolean sqlFirst = desc.startsWith("(Ljava/lang/String;");
        boolean none = desc.startsWith("()");
        if ((EXECUTE.contains(name) && (sqlFirst || none)) || (BATCH.contains(name) && none)) {
            return new Statement();
        }
        if (name.equals("addBatch") && desc.equals("(Ljava/lang/String;)V")) {
            return after(l -> list(load(l.self()), load(l.sql()), call("addBatch", "(Ljava/lang/Object;Ljava/lang/String;)V")));
        }
        if (name.equals("clearBatch") && desc.equals("()V")) {
            return after(l -> list(load(l.self()), call("clearBatch", "(Ljava/lang/Object;)V")));
        }
        if (name.equals("close") && desc.equals("()V")) {
            return before(l -> list(load(l.self()), call("closing", "(Ljava/lang/Object;)V")));
        }
        if (PREPARE.contains(name) && sqlFirst && desc.endsWith(";")) {
            return after(l -> list(load(l.result()), load(l.sql()), call("prepared", "(Ljava/lang/Object;Ljava/lang/String;)V")));
        }
        return null;
    }

    /** An execute method: counted in at entry, and out with its outcome however it ends. */
    private static final class Statement implements Weaver.Hooks {
        @Override
        public InsnList onEnter(Weaver.Locals l) {
            return list(load(l.self()), call("enter", "(Ljava/lang/Object;)V"));
        }

        @Override
        public InsnList onReturn(Weaver.Locals l) {
            return list(load(l.self()), load(l.sql()), new InsnNode(Opcodes.ICONST_1), call("exit", "(Ljava/lang/Object;Ljava/lang/String;Z)V"));
        }

        @Override
        public InsnList onThrow(Weaver.Locals l) {
            return list(load(l.self()), load(l.sql()), new InsnNode(Opcodes.ICONST_0), call("exit", "(Ljava/lang/Object;Ljava/lang/String;Z)V"));
        }
    }

    /** A hook only at entry. */
    private static Weaver.Hooks before(java.util.function.Function<Weaver.Locals, InsnList> code) {
        return new Weaver.Hooks() {
            @Override
            public InsnList onEnter(Weaver.Locals l) {
                return code.apply(l);
            }
        };
    }

    /** Hooks only after a normal return. */
    private static Weaver.Hooks after(java.util.function.Function<Weaver.Locals, InsnList> code) {
        return new Weaver.Hooks() {
            @Override
            public InsnList onReturn(Weaver.Locals l) {
                return code.apply(l);
            }
        };
    }

    private static VarInsnNode load(int local) {
        return new VarInsnNode(Opcodes.ALOAD, local);
    }

    private static MethodInsnNode call(String name, String desc) {
        return new MethodInsnNode(Opcodes.INVOKESTATIC, HOOK, name, desc, false);
    }

    private static InsnList list(org.objectweb.asm.tree.AbstractInsnNode... insns) {
        InsnList list = new InsnList();
        for (org.objectweb.asm.tree.AbstractInsnNode insn : insns) {
            list.add(insn);
        }
        return list;
    }

    /**
     * Looks only at classes whose bytes mention {@code java/sql/}: every class it could weave does
     * (its interfaces, or its methods' JDBC types), and a byte scan costs microseconds where
     * parsing costs far more, for each of the thousands of classes a host loads. Never throws:
     * a class it cannot weave loads as it is.
     */
    private static final class Transformer implements ClassFileTransformer {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
            if (name == null || redefined != null || name.startsWith("java/") || name.startsWith("jdk/") || name.startsWith("sun/")
                    || name.startsWith("com/sun/") || name.startsWith("io/waymark/agent/") || !mentions(bytes)) {
                return null;
            }
            try {
                return weave(bytes);
            } catch (Throwable t) {
                return null;
            }
        }

        @Override
        public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
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
}
