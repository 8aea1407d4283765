package io.waymark.agent.weave;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Adds hook calls to an instance method with plain ASM: at entry, after every normal return
 * (the returned value in a local) and on an exceptional exit (which then rethrows the same
 * error). Each hook runs inside its own catch-everything block, so a hook that fails (a class the
 * host's class loader cannot see, an error of the agent's) is dropped and the host's method goes
 * on as if nothing had been woven.
 *
 * <p>The hooks see {@code this} and the method's first argument (when it is a String: the SQL)
 * through copies in two fresh locals taken at entry, so nothing the method body does to its own
 * locals can change them or break verification. Stack map frames are written by hand (the class
 * is read with expanded frames; every original frame is extended by the two copies), because
 * letting ASM compute frames would load classes from inside a class file transformer.
 */
public final class Weaver {
    /** Where a hook finds its inputs: {@code this}, the String argument (or null), the returned value. */
    public record Locals(int self, int sql, int result) {}

    /** The hook code to add; null (the default) adds nothing at that point. */
    public interface Hooks {
        default InsnList onEnter(Locals locals) {
            return null;
        }

        default InsnList onReturn(Locals locals) {
            return null;
        }

        default InsnList onThrow(Locals locals) {
            return null;
        }
    }

    private static final String THROWABLE = "java/lang/Throwable";

    private Weaver() {}

    /**
     * Weaves {@code method} of class {@code owner}; {@code frames}: the class file version requires
     * stack map frames. Returns false, leaving the method as it was, when it cannot be woven safely.
     */
    public static boolean wrap(String owner, MethodNode method, boolean frames, Hooks hooks) {
        if (!returnsWithOnlyItsValue(owner, method)) {
            return false;
        }
        int base = method.maxLocals;
        Locals locals = new Locals(base, base + 1, base + 2);
        Type[] args = Type.getArgumentTypes(method.desc);
        Type returned = Type.getReturnType(method.desc);
        boolean sql = args.length > 0 && args[0].getDescriptor().equals("Ljava/lang/String;");
        InsnList code = method.instructions;
        List<TryCatchBlockNode> guards = new ArrayList<>();
        InsnList handlers = new InsnList();
        if (frames) {
            for (AbstractInsnNode insn : code) {
                if (insn instanceof FrameNode frame) {
                    frame.local = extend(frame.local, base);
                }
            }
        }

        InsnList prefix = new InsnList();
        prefix.add(new VarInsnNode(Opcodes.ALOAD, 0));
        prefix.add(new VarInsnNode(Opcodes.ASTORE, locals.self()));
        prefix.add(sql ? new VarInsnNode(Opcodes.ALOAD, 1) : new InsnNode(Opcodes.ACONST_NULL));
        prefix.add(new VarInsnNode(Opcodes.ASTORE, locals.sql()));
        InsnList enter = hooks.onEnter(locals);
        if (enter != null) {
            Object[] entry = entryLocals(owner, args, base);
            guard(prefix, enter, frames ? entry : null, guards, handlers);
            // A frame the original code has at its first instruction must not share this one's offset.
            prefix.add(new InsnNode(Opcodes.NOP));
        }
        LabelNode bodyStart = new LabelNode();
        LabelNode bodyEnd = new LabelNode();
        prefix.add(bodyStart);

        InsnList after = hooks.onReturn(locals);
        InsnList suffix = new InsnList();
        suffix.add(bodyEnd);
        if (after != null) {
            LabelNode normal = new LabelNode();
            for (AbstractInsnNode insn : code.toArray()) {
                int op = insn.getOpcode();
                if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
                    InsnList jump = new InsnList();
                    if (returned.getSort() != Type.VOID) {
                        jump.add(new VarInsnNode(returned.getOpcode(Opcodes.ISTORE), locals.result()));
                    }
                    jump.add(new JumpInsnNode(Opcodes.GOTO, normal));
                    code.insertBefore(insn, jump);
                    code.remove(insn);
                }
            }
            Object[] exit = returned.getSort() == Type.VOID ? copies(base) : append(copies(base), frameType(returned));
            suffix.add(normal);
            if (frames) {
                suffix.add(frame(exit, new Object[0]));
            }
            guard(suffix, after, frames ? exit : null, guards, handlers);
            if (returned.getSort() != Type.VOID) {
                suffix.add(new VarInsnNode(returned.getOpcode(Opcodes.ILOAD), locals.result()));
            }
            suffix.add(new InsnNode(returned.getOpcode(Opcodes.IRETURN)));
        }
        InsnList thrown = hooks.onThrow(locals);
        TryCatchBlockNode body = null;
        if (thrown != null) {
            LabelNode handler = new LabelNode();
            suffix.add(handler);
            if (frames) {
                suffix.add(frame(copies(base), new Object[] {THROWABLE}));
            }
            // the error goes where the returned value would; the two paths never meet
            suffix.add(new VarInsnNode(Opcodes.ASTORE, locals.result()));
            Object[] failing = append(copies(base), THROWABLE);
            guard(suffix, thrown, frames ? failing : null, guards, handlers);
            suffix.add(new VarInsnNode(Opcodes.ALOAD, locals.result()));
            suffix.add(new InsnNode(Opcodes.ATHROW));
            body = new TryCatchBlockNode(bodyStart, bodyEnd, handler, null);
        }
        code.insert(prefix);
        code.add(suffix);
        code.add(handlers);
        // The guards come first in the exception table: the body's catch-all must not take their errors.
        method.tryCatchBlocks.addAll(0, guards);
        if (body != null) {
            method.tryCatchBlocks.add(body);
        }
        method.maxLocals = base + 4;
        method.maxStack = Math.max(method.maxStack, 4);
        return true;
    }

    /**
     * Whether every return leaves nothing on the operand stack but the returned value. javac's code
     * always does; other compilers' may not, and a return turned into a jump to the shared exit
     * would then not verify, and the host's class would fail to load. Worked out by ASM's
     * analyser with its basic interpreter, which loads no classes.
     */
    private static boolean returnsWithOnlyItsValue(String owner, MethodNode method) {
        Frame<BasicValue>[] frames;
        try {
            frames = new Analyzer<>(new BasicInterpreter()).analyze(owner, method);
        } catch (AnalyzerException | RuntimeException e) {
            return false;
        }
        int expected = Type.getReturnType(method.desc).getSort() == Type.VOID ? 0 : 1;
        AbstractInsnNode[] insns = method.instructions.toArray();
        for (int i = 0; i < insns.length; i++) {
            int op = insns[i].getOpcode();
            if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN && frames[i] != null && frames[i].getStackSize() != expected) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds {@code hook} to {@code list} inside a catch-everything block that resumes right after
     * it; {@code locals} null: no frames (class files before Java 6).
     */
    private static void guard(InsnList list, InsnList hook, Object[] locals, List<TryCatchBlockNode> guards, InsnList handlers) {
        if (hook.size() == 0) {
            return;
        }
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        LabelNode resume = new LabelNode();
        LabelNode handler = new LabelNode();
        list.add(start);
        list.add(hook);
        list.add(end);
        list.add(resume);
        if (locals != null) {
            list.add(frame(locals, new Object[0]));
        }
        guards.add(new TryCatchBlockNode(start, end, handler, THROWABLE));
        handlers.add(handler);
        if (locals != null) {
            handlers.add(frame(locals, new Object[] {THROWABLE}));
        }
        handlers.add(new InsnNode(Opcodes.POP));
        handlers.add(new JumpInsnNode(Opcodes.GOTO, resume));
    }

    private static FrameNode frame(Object[] locals, Object[] stack) {
        return new FrameNode(Opcodes.F_NEW, locals.length, locals, stack.length, stack);
    }

    /** At entry: this, the arguments, nothing up to the copies, then the copies. */
    private static Object[] entryLocals(String owner, Type[] args, int base) {
        List<Object> locals = new ArrayList<>();
        locals.add(owner);
        int slots = 1;
        for (Type arg : args) {
            locals.add(frameType(arg));
            slots += arg.getSize();
        }
        for (; slots < base; slots++) {
            locals.add(Opcodes.TOP);
        }
        locals.add("java/lang/Object");
        locals.add("java/lang/String");
        return locals.toArray();
    }

    /** After the body: only the copies are known (the body's own locals may hold anything). */
    private static Object[] copies(int base) {
        Object[] locals = new Object[base + 2];
        Arrays.fill(locals, Opcodes.TOP);
        locals[base] = "java/lang/Object";
        locals[base + 1] = "java/lang/String";
        return locals;
    }

    /** An original frame's locals padded to {@code base} slots, then the copies. */
    private static List<Object> extend(List<Object> original, int base) {
        List<Object> locals = new ArrayList<>(original == null ? List.of() : original);
        int slots = 0;
        for (Object local : locals) {
            slots += local == Opcodes.LONG || local == Opcodes.DOUBLE ? 2 : 1;
        }
        for (; slots < base; slots++) {
            locals.add(Opcodes.TOP);
        }
        locals.add("java/lang/Object");
        locals.add("java/lang/String");
        return locals;
    }

    private static Object[] append(Object[] locals, Object more) {
        Object[] longer = Arrays.copyOf(locals, locals.length + 1);
        longer[locals.length] = more;
        return longer;
    }

    private static Object frameType(Type type) {
        return switch (type.getSort()) {
            case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> Opcodes.INTEGER;
            case Type.FLOAT -> Opcodes.FLOAT;
            case Type.LONG -> Opcodes.LONG;
            case Type.DOUBLE -> Opcodes.DOUBLE;
            default -> type.getInternalName();
        };
    }
}
