package io.waymark.agent;

import io.waymark.agent.weave.Weaver;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * The JVM's exit status, which a shutdown hook cannot ask for: Runtime.exit(int) (behind
 * System.exit) is woven to note its argument in a system property before exiting. The woven code
 * lives in a bootstrap class and may only use bootstrap classes, hence a property, not a field.
 * An uncaught exception in main counts as status 1, as the java launcher returns.
 */
final class ExitStatus {
    static final String PROPERTY = "waymark.agent.exitStatus";

    private ExitStatus() {}

    static void install(Instrumentation instrumentation) throws Exception {
        ClassFileTransformer transformer = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
                return redefined == Runtime.class ? weave(bytes) : null;
            }
        };
        instrumentation.addTransformer(transformer, true);
        try {
            instrumentation.retransformClasses(Runtime.class);
        } finally {
            instrumentation.removeTransformer(transformer);
        }
    }

    /** Runtime's bytes with exit(int) noting its status first; null (unchanged) if anything is unexpected. */
    static byte[] weave(byte[] bytes) {
        try {
            ClassNode node = new ClassNode();
            new ClassReader(bytes).accept(node, ClassReader.EXPAND_FRAMES);
            for (MethodNode method : node.methods) {
                if (method.name.equals("exit") && method.desc.equals("(I)V")) {
                    boolean woven = Weaver.wrap(node.name, method, true, new Weaver.Hooks() {
                        @Override
                        public InsnList onEnter(Weaver.Locals locals) {
                            InsnList note = new InsnList();
                            note.add(new LdcInsnNode(PROPERTY));
                            note.add(new VarInsnNode(Opcodes.ILOAD, 1));
                            note.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Integer", "toString", "(I)Ljava/lang/String;", false));
                            note.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/System", "setProperty",
                                    "(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;", false));
                            note.add(new InsnNode(Opcodes.POP));
                            return note;
                        }
                    });
                    if (!woven) {
                        return null;
                    }
                    ClassWriter writer = new ClassWriter(0);
                    node.accept(writer);
                    return writer.toByteArray();
                }
            }
        } catch (RuntimeException e) {
            Agent.warn("exit status will not be seen: " + e);
        }
        return null;
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
}
