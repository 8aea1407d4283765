package io.waymark.catalog.model;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Job versions as Marquez has them: a job's version changes when the datasets its runs read or
 * write change. A version is a name-based UUID of the job's namespace and name and the sorted
 * inputs and outputs of a run, so the same I/O always gives the same version. Unlike Marquez the
 * source code location is left out, so a version does not change under runs when the location does.
 */
public final class JobVersion {
    private JobVersion() {}

    /** The version of a job whose run read {@code inputs} and wrote {@code outputs} (maps with namespace and name; all of them). */
    public static String of(String namespace, String name, List<? extends Map<String, ?>> inputs, List<? extends Map<String, ?>> outputs) {
        TreeSet<String> in = new TreeSet<>();
        inputs.forEach(d -> in.add(key(d.get("namespace"), d.get("name"))));
        TreeSet<String> out = new TreeSet<>();
        outputs.forEach(d -> out.add(key(d.get("namespace"), d.get("name"))));
        return of(namespace, name, in, out);
    }

    /** A dataset as the version's basis names it. */
    public static String key(Object namespace, Object name) {
        return namespace + "\t" + name;
    }

    /** The version from the inputs' and outputs' {@link #key}s, sorted and without repeats. */
    public static String of(String namespace, String name, SortedSet<String> inputs, SortedSet<String> outputs) {
        StringBuilder basis = new StringBuilder(namespace).append('\n').append(name);
        for (SortedSet<String> io : List.of(inputs, outputs)) {
            basis.append('\n').append(String.join("\u0001", io));
        }
        return UUID.nameUUIDFromBytes(basis.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }
}
