package io.waymark.catalog.model;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
        StringBuilder basis = new StringBuilder(namespace).append('\n').append(name);
        for (List<? extends Map<String, ?>> io : List.of(inputs, outputs)) {
            TreeSet<String> sorted = new TreeSet<>();
            io.forEach(d -> sorted.add(d.get("namespace") + "\t" + d.get("name")));
            basis.append('\n').append(String.join("\u0001", sorted));
        }
        return UUID.nameUUIDFromBytes(basis.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }
}
