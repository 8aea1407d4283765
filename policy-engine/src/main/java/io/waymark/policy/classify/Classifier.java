package io.waymark.policy.classify;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.waymark.policy.classify.Detector.Gate;

/**
 * Proposes classifications for a dataset's columns from their names and, when given, sample
 * values. Samples are only counted, never kept. Scoring (compliance-research §4.1): a name score,
 * a value pass ratio corrected for the validator's base rate, thresholds, and context gates
 * (a CVV needs a card column beside it, an NHS number or ICD-10 code a health context).
 */
public final class Classifier {
    /** Below this confidence a detection waits for a steward. */
    public static final double REVIEW_THRESHOLD = 0.8;
    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern PREFIX = Pattern.compile("^(c|col|src|fld)_");
    private static final Set<String> TEST_PANS = Set.of("4111111111111111", "4012888888881881", "4242424242424242", "5555555555554444",
            "5105105105105100", "378282246310005", "371449635398431", "6011111111111117", "3530111333300000");
    private static final String HASH_SUFFIX = "_(hash|hashed|sha1|sha256|sha|md5|digest)";
    static final Pattern HASHED = Pattern.compile("(hashed_(?<a>.+))|((?<b>.+)" + HASH_SUFFIX + ")");

    private final List<Detector> detectors;
    private final LocalDate today;

    public Classifier(LocalDate today) {
        this.today = today;
        this.detectors = List.of(
                Detector.of("email", "PII.contact.email", "(e_?mail|email_?addr(ess)?|contact_email|mail)",
                        "email_(sent|opened|opt_in|status|count|verified)|mailing_list", Validators::email, 0, false, Gate.NONE),
                Detector.of("phone", "PII.contact.phone", "(phone|mobile|msisdn|tel|telephone|cell|fax)(_?(no|num|number))?",
                        "phone_(verified|type|count)", Validators::e164, 0, false, Gate.NONE),
                Detector.of("iban", "PII.financial.iban", "(iban|bank_?account|acct_?(no|num)|international_account)",
                        null, Validators::iban, 0.01, false, Gate.NONE),
                Detector.of("pan", "PCI.PAN", "((card|cc|credit|debit)_?(num(ber)?|no|pan)|pan|primary_account|cardnumber|card)",
                        "pan_(card|india)|imei|device|last_?4|first_?6|bin", Validators::pan, 0.10, false, Gate.NONE),
                Detector.of("cvv", "PCI.SAD.cvv", "(cvv2?|cvc2?|csc|card_security_code|card_verification(_code)?)",
                        "year|yr|month|date|exp|count|flag", Validators::cvv, 0.5, true, Gate.PAYMENTS),
                Detector.of("card_expiry", "PCI.CHD.expiry", "(exp(iry|iration)?_?(date|mm|yy|month|year)|card_exp(iry)?)",
                        null, Validators::cardExpiry, 0.05, true, Gate.PAYMENTS),
                Detector.of("us_ssn", "PII.id.national.us_ssn", "(ssn|social_?sec(urity)?(_(no|num|number))?|soc_sec)",
                        "ssn_(last_?4|verified)", Validators::ssn, 0.05, false, Gate.NONE),
                Detector.of("nhs_number", "PHI.id.nhs_number", "(nhs_?(no|num(ber)?)?|nhsnumber|chi_?(no|number))",
                        null, Validators::nhs, 1.0 / 11, true, Gate.NONE),
                Detector.of("icd10", "PHI.clinical.diagnosis", "(icd_?10?(_code)?|dx(_code)?|diag(nosis)?(_code)?|condition_code)",
                        null, Validators::icd10, 0.02, false, Gate.HEALTH),
                Detector.of("dob", "PII.demo.dob", "(dob|date_?of_?birth|birth_?(date|day)|birthdate|geburtsdatum|date_naissance|fecha_nacimiento)",
                        null, v -> Validators.dateOfBirth(v, today), 0.2, true, Gate.NONE),
                Detector.of("ip_address", "PII.online.ip", "(ip(_?addr(ess)?)?|client_ip|remote_addr|x_forwarded_for|src_ip|dst_ip)",
                        null, Validators::ip, 0, false, Gate.NONE),
                Detector.of("bic", "FIN.bank.bic", "(swift(_code)?|bic(_code)?)", null, Validators::bic, 0.05, true, Gate.NONE),
                Detector.of("device_id", "PII.online.device_id", "(imei|device_?id|advertising_?id|idfa|gaid)", null, null, 0, true, Gate.NONE),
                Detector.of("person_name", "PII.name.full", "((first|last|given|family|middle|full|maiden|nick)_?name|surname|forename|(customer|contact|patient|employee)_name)",
                        "(file|host|table|column|product|company|brand|city|street|display|user)_?name", Classifier::personName, 0.2, true, Gate.NONE),
                Detector.of("mrn", "PHI.id.mrn", "(mrn|med(ical)?_?rec(ord)?_?(no|num(ber)?)|patient_?id|pat_id|chart_?(no|number))",
                        null, null, 0, true, Gate.NONE),
                Detector.of("address", "PII.contact.address", "(address|street|addr_line_?\\d?|home_address)", "email|ip|mac|url", null, 0, true, Gate.NONE),
                Detector.of("zip", "PHI.geo.zip", "(zip(_?code)?|post(al)?_?code)", null, v -> v.strip().matches("\\d{5}(-\\d{4})?"), 0.3, true, Gate.HEALTH_ONLY),
                Detector.of("aba_routing", "FIN.bank.routing", "(routing(_?(no|num(ber)?|transit))?|aba(_?(no|num(ber)?|routing))?|rtn)",
                        null, Validators::abaRouting, 0.04, false, Gate.NONE),
                Detector.of("track", "PCI.SAD.track", "(track_?[12]?(_data)?|mag_?stripe(_data)?|swipe(_data)?)", null, Validators::track, 0, false, Gate.NONE),
                Detector.of("person_name_values", "PII.name.full", "((first|last|given|family|middle|full|maiden|nick)_?name|surname|forename|(customer|contact|patient|employee)_name)",
                        "(file|host|table|column|product|company|brand|city|street|display|user)_?name", Validators::fullName, 0.02, false, Gate.NONE),
                Detector.of("clinical_date", "PHI.date.service", "((admission|admit|discharge|service|visit|encounter|procedure|appointment|treatment|surgery|death|diagnosis|dx|lab|test|result|collection|specimen|prescription|rx|dispense|onset)_?(date|dt|ts|time|on|at)?)",
                        null, Validators::date, 0.1, true, Gate.HEALTH_ONLY),
                Detector.of("special_health", "PII.SPECIAL.health", "(diagnosis|medication|allergy|disability|pregnan\\w*|health_condition)", null, null, 0, true, Gate.NONE),
                Detector.of("special_religion", "PII.SPECIAL.religion", "(religion|religious_affiliation)", null, null, 0, true, Gate.NONE),
                Detector.of("special_ethnicity", "PII.SPECIAL.ethnicity", "(ethnic(ity)?|race)", "race_(id|no|number|name)", null, 0, true, Gate.NONE),
                Detector.of("special_politics", "PII.SPECIAL.politics", "(political_(party|affiliation|opinion))", null, null, 0, true, Gate.NONE),
                Detector.of("special_union", "PII.SPECIAL.union", "(union_member(ship)?|trade_union)", null, null, 0, true, Gate.NONE),
                Detector.of("special_sex_life", "PII.SPECIAL.sex_life", "(sexual_orientation|sex_life)", null, null, 0, true, Gate.NONE),
                Detector.of("special_biometric", "PII.SPECIAL.biometric", "(biometric\\w*|fingerprint|face_(embedding|template))", null, null, 0, true, Gate.NONE),
                Detector.of("special_genetic", "PII.SPECIAL.genetic", "(genotype|genetic\\w*|dna_\\w+)", null, null, 0, true, Gate.NONE));
    }

    List<Detector> detectors() {
        return detectors;
    }

    /** The codes the detectors can assign (each must be in the taxonomy). */
    public List<String> codes() {
        return detectors.stream().map(Detector::code).distinct().toList();
    }

    /** Normalises a column name: camelCase and separators to snake_case, lower case, known prefixes and trailing digits off. */
    public static String normalise(String name) {
        String last = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : name;
        String snake = CAMEL.matcher(last).replaceAll("$1_$2").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        snake = PREFIX.matcher(snake).replaceFirst("");
        snake = snake.replaceAll("_?\\d+$", "").replaceAll("^_+|_+$", "");
        return snake;
    }

    /**
     * Labels for each column; {@code samples} maps a column (dotted path for nested fields) to some
     * of its values, possibly none. The order of the result follows the input.
     */
    public Map<String, List<Label>> classify(Map<String, List<String>> samples) {
        Map<String, List<Label>> first = new LinkedHashMap<>();
        samples.forEach((column, values) -> first.put(column, classifyColumn(column, values)));
        // Context comes from labels that need none themselves: a store id read as a diagnosis code must not make its dataset health data.
        Map<String, List<Label>> ungated = new LinkedHashMap<>();
        first.forEach((column, labels) -> ungated.put(column, labels.stream()
                .filter(l -> detector(l.detector()) == null || detector(l.detector()).gate() == Gate.NONE).toList()));
        Map<String, List<Label>> result = new LinkedHashMap<>();
        first.forEach((column, labels) -> {
            List<Label> kept = new ArrayList<>();
            String name = normalise(column);
            boolean health = elsewhere(ungated, column, HEALTH_CONTEXT);
            for (Label label : labels) {
                Detector d = detector(label.detector());
                Gate gate = d == null ? Gate.NONE : d.gate();
                if (gate == Gate.PAYMENTS && !elsewhere(first, column, "PCI.PAN", "PCI.CHD.expiry")) {
                    continue;
                }
                // A diagnosis-shaped code outside health data is a store's or product's code unless the column says otherwise.
                if (gate == Gate.HEALTH && !health && d.nameScore(name) < 0.4) {
                    continue;
                }
                if (gate == Gate.HEALTH_ONLY && !health) {
                    continue;
                }
                kept.add(label);
            }
            result.put(column, strongestPerCode(withoutRoutingSsn(kept)));
        });
        return result;
    }

    /** Codes whose presence in a dataset makes it health data (identifiers and clinical content, not ZIPs or dates). */
    private static final String[] HEALTH_CONTEXT = {"PHI.id", "PHI.clinical", "PII.SPECIAL.health"};

    /** Nine digits that pass the ABA routing check are routing numbers, even where they also look like SSNs. */
    private static List<Label> withoutRoutingSsn(List<Label> labels) {
        double routing = labels.stream().filter(l -> l.code().equals("FIN.bank.routing")).mapToDouble(Label::confidence).max().orElse(-1);
        return routing < 0 ? labels : labels.stream().filter(l -> !(l.code().startsWith("PII.id.national.us_ssn") && l.confidence() <= routing)).toList();
    }

    /** One label per code: the most confident (two detectors can find a full name, by its column's name and by its values). */
    private static List<Label> strongestPerCode(List<Label> labels) {
        Map<String, Label> best = new LinkedHashMap<>();
        for (Label l : labels) {
            best.merge(l.code(), l, (a, b) -> b.confidence() > a.confidence() ? b : a);
        }
        return new ArrayList<>(best.values());
    }

    /** Whether another column of the dataset carries a (not name-only) label starting with one of the prefixes. */
    private static boolean elsewhere(Map<String, List<Label>> labels, String column, String... prefixes) {
        return labels.entrySet().stream().filter(e -> !e.getKey().equals(column)).flatMap(e -> e.getValue().stream())
                .anyMatch(l -> java.util.Arrays.stream(prefixes).anyMatch(p -> l.code().startsWith(p)));
    }

    private List<Label> classifyColumn(String column, List<String> rawValues) {
        String name = normalise(column);
        List<String> values = rawValues == null ? List.of() : rawValues.stream().filter(v -> v != null && !v.isBlank()).toList();
        List<Label> labels = new ArrayList<>();
        var hashed = HASHED.matcher(name);
        boolean isHashed = hashed.matches();
        String stem = isHashed ? (hashed.group("a") != null ? hashed.group("a") : hashed.group("b")) : name;
        for (Detector d : detectors) {
            double nameScore = d.nameScore(stem);
            if (isHashed) {
                if (nameScore > 0) {
                    labels.add(hashedLabel(d, column, values, nameScore));
                }
                continue;
            }
            if (d.validator() == null || values.isEmpty()) {
                if (nameScore >= 0.4) {
                    labels.add(new Label(d.code(), Label.NAME_ONLY, round(nameScore * 0.5), d.protection(), d.id(),
                            "name '" + column + "' matches " + d.id() + (values.isEmpty() ? "; no sample values to confirm it" : "; values are not checked for this kind")));
                }
                continue;
            }
            if (d.nameRequired() && nameScore < 0.4) {
                continue;
            }
            if (d.id().equals("pan") && looksLikeImeis(values) && nameScore < 0.7) {
                continue;
            }
            long pass = values.stream().filter(d.validator()).count();
            double r = (double) pass / values.size();
            double corrected = Math.max(0, (r - d.baseRate()) / (1 - d.baseRate()));
            if (corrected >= 0.9 || (corrected >= 0.6 && nameScore >= 0.4)) {
                double confidence = round(Math.min(1, 0.7 * corrected + 0.3 * (nameScore / 0.7)));
                StringBuilder why = new StringBuilder();
                why.append(pass).append('/').append(values.size()).append(" samples pass the ").append(d.id()).append(" validator")
                        .append(String.format(Locale.ROOT, " (r=%.2f, base rate %.2f, corrected %.2f)", r, d.baseRate(), corrected));
                if (nameScore > 0) {
                    why.append("; name '").append(column).append("' matches");
                }
                if (d.id().equals("pan") && values.stream().anyMatch(v -> TEST_PANS.contains(v.replaceAll("[ -]", "")))) {
                    why.append("; contains well-known test card numbers");
                }
                labels.add(new Label(d.code(), confidence >= REVIEW_THRESHOLD ? Label.DETECTED : Label.PROPOSED, confidence,
                        d.protection(), d.id(), why.toString()));
            }
        }
        return labels;
    }

    /** A hashed identifier keeps its class with protection HASHED_UNKEYED (a keyed hash cannot be told from values). */
    private Label hashedLabel(Detector d, String column, List<String> values, double nameScore) {
        long pass = values.stream().filter(Validators::hash).count();
        boolean confirmed = !values.isEmpty() && pass >= 0.9 * values.size();
        String status = values.isEmpty() ? Label.NAME_ONLY : confirmed ? Label.DETECTED : Label.PROPOSED;
        double confidence = round(values.isEmpty() ? nameScore * 0.5 : confirmed ? 0.9 : 0.5);
        return new Label(d.code(), status, confidence, "HASHED_UNKEYED", d.id() + "+hash",
                "name '" + column + "' is a hash of " + d.id() + (values.isEmpty() ? "" : "; " + pass + "/" + values.size() + " samples are hex or base64 digests"));
    }

    /** 15-digit Luhn values, mostly with a 35 prefix: device IMEIs, not cards. */
    private static boolean looksLikeImeis(List<String> values) {
        long imei = values.stream().filter(Validators::imeiShaped).count();
        return !values.isEmpty() && imei >= 0.5 * values.size();
    }

    private static boolean personName(String value) {
        return value.strip().matches("\\p{Lu}[\\p{L}'-]+( \\p{Lu}[\\p{L}'-]+){0,2}");
    }

    Detector detector(String id) {
        return detectors.stream().filter(d -> d.id().equals(id)).findFirst().orElse(null);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
