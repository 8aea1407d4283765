package io.waymark.policy.taxonomy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The classification codes of the rule packs (compliance-rules, {@code waymark/taxonomy/classifications.yaml}). */
public final class Taxonomy {
    public static final String RESOURCE = "waymark/taxonomy/classifications.yaml";
    private static final Pattern CODE = Pattern.compile("(PII|PHI|PCI|FIN)(\\.[A-Za-z0-9_]+)*");
    private static final Set<String> PCI_ELEMENTS = Set.of("PAN", "CHD", "SAD", "none");
    private static final Set<String> FLAGS = Set.of("code", "description", "personalData", "directIdentifier", "gdprSpecial",
            "hipaaIdentifier", "safeHarborAllowed", "ldsAllowed", "pciElement", "subjectKey");

    private final String version;
    private final Map<String, Classification> byCode;

    private Taxonomy(String version, Map<String, Classification> byCode) {
        this.version = version;
        this.byCode = byCode;
    }

    public static Taxonomy load() {
        try (InputStream in = Taxonomy.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath (compliance-rules module)");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses and checks a taxonomy file; a malformed one is refused with the entry and the reason. */
    @SuppressWarnings("unchecked")
    public static Taxonomy parse(InputStream in) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        if (!(doc instanceof Map<?, ?> root) || !"Taxonomy".equals(root.get("kind"))) {
            throw new IllegalArgumentException("taxonomy: expected a document with kind: Taxonomy");
        }
        Object entries = root.get("classifications");
        if (!(entries instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("taxonomy: classifications must be a non-empty list");
        }
        Map<String, Classification> byCode = new LinkedHashMap<>();
        for (Object entry : list) {
            if (!(entry instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("taxonomy: every classification must be a mapping, got " + entry);
            }
            Map<String, Object> e = (Map<String, Object>) map;
            String code = String.valueOf(e.get("code"));
            for (String key : e.keySet()) {
                if (!FLAGS.contains(key)) {
                    throw new IllegalArgumentException("taxonomy: " + code + ": unknown key '" + key + "'");
                }
            }
            if (!CODE.matcher(code).matches()) {
                throw new IllegalArgumentException("taxonomy: '" + code + "' is not a code of the PII/PHI/PCI/FIN families");
            }
            if (!(e.get("description") instanceof String description) || description.isBlank()) {
                throw new IllegalArgumentException("taxonomy: " + code + ": description is required");
            }
            Optional<String> pci = Optional.ofNullable((String) e.get("pciElement"));
            if (pci.isPresent() && !PCI_ELEMENTS.contains(pci.get())) {
                throw new IllegalArgumentException("taxonomy: " + code + ": pciElement must be one of " + PCI_ELEMENTS);
            }
            Optional<String> hipaa = Optional.ofNullable((String) e.get("hipaaIdentifier"));
            if (hipaa.isPresent() && !hipaa.get().matches("[A-R]")) {
                throw new IllegalArgumentException("taxonomy: " + code + ": hipaaIdentifier must be a letter A-R");
            }
            Classification c = new Classification(code, description, flag(e, "personalData"), flag(e, "directIdentifier"),
                    flag(e, "gdprSpecial"), hipaa, flag(e, "safeHarborAllowed"), flag(e, "ldsAllowed"), pci, flag(e, "subjectKey"));
            if (byCode.put(code, c) != null) {
                throw new IllegalArgumentException("taxonomy: duplicate code " + code);
            }
        }
        return new Taxonomy(String.valueOf(root.get("version")), Map.copyOf(byCode));
    }

    private static boolean flag(Map<String, Object> e, String key) {
        Object value = e.get(key);
        if (value != null && !(value instanceof Boolean)) {
            throw new IllegalArgumentException("taxonomy: " + e.get("code") + ": " + key + " must be true or false");
        }
        return Boolean.TRUE.equals(value);
    }

    public String version() {
        return version;
    }

    public Optional<Classification> find(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    public Collection<Classification> all() {
        return byCode.values();
    }
}
