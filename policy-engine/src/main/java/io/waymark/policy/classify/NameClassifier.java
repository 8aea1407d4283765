package io.waymark.policy.classify;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies a dataset's columns as they arrive, with no sample values: from the column's name,
 * its declared type and its description. Only evidence that holds on its own becomes DETECTED (a
 * whole name such as {@code cust_email} of a text type, for the kinds whose names are reliable);
 * everything weaker is PROPOSED for a steward. Measured on a labelled set of columns with hard
 * negatives (NameClassifierTest): what this marks DETECTED must hold precision 0.95 or better.
 *
 * <p>What makes name evidence cry wolf, and what this does about it (OpenMetadata's public false
 * positives among them): a column about a value rather than the value itself ({@code email_verified},
 * {@code credit_card_amount}, {@code phone_count}) — a word for a measure, flag or code outside the
 * matched part drops the label; a type the value cannot have ({@code email} as a boolean, a card
 * number as a double) drops it; a CVV or expiry without a card number in the same dataset is not
 * proposed at all (a year code is not a CVV).
 */
public final class NameClassifier {
    /** Full name evidence of a reliable kind with a type that fits. */
    static final double STRONG = 0.9;
    /** Full name evidence without a declared type, or of a kind whose names mislead too often to apply unseen. */
    static final double FULL = 0.7;
    /** The detector's name is only part of the column's name. */
    static final double PART = 0.5;
    /** The description names the kind; the column's name does not. */
    static final double DESCRIBED = 0.45;

    /** Words that qualify whose value a column holds without changing what it is: {@code billing_email} is an e-mail. */
    private static final Set<String> QUALIFIERS = Set.of(
            "customer", "cust", "user", "usr", "client", "contact", "member", "employee", "emp", "patient", "person", "buyer", "seller",
            "owner", "account", "primary", "secondary", "alt", "alternate", "home", "work", "business", "personal", "billing", "shipping",
            "emergency", "main", "new", "old", "current", "prev", "previous", "registered", "holder", "cardholder", "guest", "subscriber",
            "recipient", "sender", "applicant", "student", "staff", "private", "my", "the", "raw", "src", "orig", "original", "last_known",
            "legal", "preferred", "notification", "reply", "delivery");

    /** Words that make a column about a value rather than the value: counts, flags, codes, amounts, times. */
    private static final Set<String> MEASURES = Set.of(
            "count", "cnt", "counts", "total", "sum", "amount", "amt", "avg", "mean", "min", "max", "ratio", "rate", "pct", "percent",
            "percentage", "share", "flag", "flags", "is", "has", "was", "can", "type", "types", "status", "state", "verified",
            "verification", "valid", "validated", "confirmed", "opt", "optin", "opted", "consent", "enabled", "disabled", "allowed",
            "domain", "provider", "format", "length", "len", "size", "key", "template", "sent", "opened", "clicked", "bounced", "bounce",
            "changed", "updated", "created", "at", "ts", "time", "timestamp", "year", "yr", "month", "day", "week", "bucket", "band",
            "range", "category", "segment", "source", "channel", "campaign", "preference", "preferences", "subscription", "unsubscribed",
            "delivered", "failed", "attempts", "error", "errors", "score", "rank", "index", "idx", "version", "label", "field", "column",
            "col", "config", "setting", "settings", "policy", "rule", "region", "country", "currency", "fee", "fees", "limit", "balance",
            "brand", "issuer", "network", "scheme", "tier", "level", "reward", "rewards", "points", "program", "sequence", "seq", "order",
            "orders", "payment", "payments", "transaction", "txn", "mask", "masked", "token", "tokenized", "encrypted", "exists",
            "present", "missing", "null", "empty", "required", "pattern", "regex", "hint", "description", "desc", "comment", "note",
            "notes", "list", "lists", "group", "groups", "prefix", "suffix", "bin", "last4", "first6");

    /** Kinds whose whole-name evidence is reliable enough to apply before anyone looks; the rest wait for a steward. */
    private static final Map<String, Pattern> RELIABLE = Map.of(
            "email", Pattern.compile("e_?mail(_?addr(ess)?)?|contact_email"),
            "phone", Pattern.compile("(phone|mobile|telephone|msisdn)(_?(no|num|number))?|mobile_phone|phone_number"),
            "pan", Pattern.compile("(card|cc|credit_card|debit_card|credit|debit)_?(num(ber)?|no|pan)|pan|card_pan|primary_account(_number)?|cardnumber"),
            "us_ssn", Pattern.compile("ssn|social_?sec(urity)?(_(no|num|number))?|soc_sec"),
            "dob", Pattern.compile("dob|date_?of_?birth|birth_?(date|day)|birthdate"),
            "ip_address", Pattern.compile("ip_?addr(ess)?|client_ip|remote_addr|src_ip|dst_ip|x_forwarded_for"),
            "person_name", Pattern.compile("(first|last|given|family|middle|full|maiden)_?name|surname|forename|(customer|contact|patient|employee)_name"),
            "iban", Pattern.compile("iban"),
            "nhs_number", Pattern.compile("nhs_?(no|num(ber)?)|nhsnumber"));

    /** Detectors that judge values alone; by name they would repeat another detector. */
    private static final Set<String> VALUES_ONLY = Set.of("person_name_values");

    /** Kinds of declared types. */
    enum Kind { TEXT, INTEGER, DECIMAL, DATE, BOOLEAN, BINARY, COMPLEX, UNKNOWN }

    private static final Map<String, Set<Kind>> FITS = Map.ofEntries(
            Map.entry("email", Set.of(Kind.TEXT)),
            Map.entry("phone", Set.of(Kind.TEXT, Kind.INTEGER)),
            Map.entry("iban", Set.of(Kind.TEXT)),
            Map.entry("pan", Set.of(Kind.TEXT, Kind.INTEGER)),
            Map.entry("cvv", Set.of(Kind.TEXT, Kind.INTEGER)),
            Map.entry("card_expiry", Set.of(Kind.TEXT, Kind.INTEGER, Kind.DATE)),
            Map.entry("us_ssn", Set.of(Kind.TEXT, Kind.INTEGER)),
            Map.entry("nhs_number", Set.of(Kind.TEXT, Kind.INTEGER)),
            Map.entry("icd10", Set.of(Kind.TEXT)),
            Map.entry("dob", Set.of(Kind.DATE, Kind.TEXT, Kind.INTEGER)),
            Map.entry("ip_address", Set.of(Kind.TEXT, Kind.INTEGER, Kind.BINARY)),
            Map.entry("bic", Set.of(Kind.TEXT)),
            Map.entry("device_id", Set.of(Kind.TEXT)),
            Map.entry("person_name", Set.of(Kind.TEXT)),
            Map.entry("mrn", Set.of(Kind.TEXT, Kind.INTEGER)),
            Map.entry("address", Set.of(Kind.TEXT, Kind.COMPLEX)),
            Map.entry("zip", Set.of(Kind.TEXT, Kind.INTEGER)),
            Map.entry("aba_routing", Set.of(Kind.TEXT, Kind.INTEGER)),
            Map.entry("track", Set.of(Kind.TEXT)),
            Map.entry("clinical_date", Set.of(Kind.DATE, Kind.TEXT, Kind.INTEGER)));
    /** Special categories may be held as text, codes or flags. */
    private static final Set<Kind> SPECIAL_FITS = Set.of(Kind.TEXT, Kind.INTEGER, Kind.BOOLEAN);

    /** Description words for each kind, for columns whose names say nothing (an e-mail in {@code contact}). */
    private static final Map<String, Pattern> DESCRIBED_AS = Map.of(
            "email", Pattern.compile("\\be-?mail address(es)?\\b"),
            "phone", Pattern.compile("\\b(phone|telephone|mobile) number\\b"),
            "pan", Pattern.compile("\\b(credit|debit|payment) card number\\b|\\bprimary account number\\b"),
            "us_ssn", Pattern.compile("\\bsocial security number\\b"),
            "dob", Pattern.compile("\\bdate of birth\\b|\\bbirth ?date\\b"),
            "person_name", Pattern.compile("\\b(first|last|full|given|family) name of the (customer|person|patient|employee|user)\\b"),
            "ip_address", Pattern.compile("\\bip address\\b"));
    /** A description that says the values are not the raw kind. */
    private static final Pattern NOT_RAW = Pattern.compile("\\b(hash(ed)?|masked|tokeni[sz]ed|encrypted|number of|count of|whether|flag|amount)\\b");

    private static final Pattern SIZE = Pattern.compile("\\(.*\\)");
    private final Classifier detectors = new Classifier(LocalDate.EPOCH);

    /** A column as a schema declares it; type and description may be null. */
    public record Column(String name, String type, String description) {}

    /** Labels for each column of one dataset (keyed by column name, in input order); columns without evidence have none. */
    public Map<String, List<Label>> classify(List<Column> columns) {
        Map<String, List<Label>> first = new LinkedHashMap<>();
        for (Column column : columns) {
            first.put(column.name(), classifyColumn(column));
        }
        boolean payments = first.values().stream().flatMap(List::stream).anyMatch(l -> l.code().equals("PCI.PAN"));
        boolean health = first.values().stream().flatMap(List::stream)
                .anyMatch(l -> l.code().startsWith("PHI.id") || l.code().startsWith("PHI.clinical") || l.code().equals("PII.SPECIAL.health"));
        Map<String, List<Label>> result = new LinkedHashMap<>();
        first.forEach((name, labels) -> result.put(name, labels.stream().filter(l -> {
            Detector d = detectors.detector(l.detector());
            // Context the name alone cannot give: a CVV or expiry beside a card number, a diagnosis code in health data.
            // A ZIP code, a service date or a diagnosis code is health data only in a health dataset (a store's ZIP is not).
            return d == null || switch (d.gate()) {
                case PAYMENTS -> payments;
                case HEALTH, HEALTH_ONLY -> health;
                case NONE -> true;
            };
        }).toList()));
        return result;
    }

    private List<Label> classifyColumn(Column column) {
        String name = Classifier.normalise(column.name());
        Kind kind = kind(column.type());
        String description = column.description() == null ? "" : column.description().toLowerCase(Locale.ROOT);
        List<Label> labels = new ArrayList<>();
        if (name.isEmpty() || kind == Kind.COMPLEX && !name.contains("address")) {
            return labels;
        }
        Matcher hashed = Classifier.HASHED.matcher(name);
        boolean isHashed = hashed.matches();
        if (isHashed) {
            name = hashed.group("a") != null ? hashed.group("a") : hashed.group("b");
        }
        String core = core(name);
        for (Detector d : detectors.detectors()) {
            if (VALUES_ONLY.contains(d.id())) {
                continue;
            }
            Set<Kind> fits = d.id().startsWith("special_") ? SPECIAL_FITS : FITS.getOrDefault(d.id(), Set.of(Kind.TEXT));
            if (kind != Kind.UNKNOWN && !fits.contains(kind)) {
                continue;
            }
            Label label = byName(d, column, name, core, kind, description);
            if (label == null) {
                label = byDescription(d, column, name, description);
            }
            if (label != null && isHashed) {
                // Still personal data (pseudonymised), and a steward says whether the hash is keyed.
                label = new Label(label.code(), Label.PROPOSED, Math.min(label.confidence(), FULL), "HASHED_UNKEYED", d.id() + "+hash",
                        label.explanation() + "; the name says the values are hashed");
            }
            if (label != null) {
                labels.add(label);
            }
        }
        return labels;
    }

    private Label byName(Detector d, Column column, String name, String core, Kind kind, String description) {
        if (d.exclude() != null && d.exclude().matcher(name).find()) {
            return null;
        }
        boolean whole = d.include().matcher(core).matches() || d.include().matcher(name).matches();
        if (!whole && !partOnlyQualified(d, name)) {
            return null;
        }
        Pattern sure = RELIABLE.get(d.id());
        boolean reliable = whole && sure != null && (sure.matcher(core).matches() || sure.matcher(name).matches());
        boolean notRaw = NOT_RAW.matcher(description).find();
        double confidence = !whole ? PART : reliable && kind != Kind.UNKNOWN && !notRaw ? STRONG : FULL;
        StringBuilder why = new StringBuilder("name '").append(column.name()).append('\'');
        if (column.type() != null) {
            why.append(", type ").append(column.type());
        }
        why.append(": ").append(whole ? "" : "part of the name is ").append(d.id().replace('_', ' ')).append(" pattern");
        if (kind == Kind.UNKNOWN) {
            why.append("; no declared type");
        }
        if (notRaw) {
            why.append("; the description suggests the values are not raw");
        }
        String status = confidence >= Classifier.REVIEW_THRESHOLD ? Label.DETECTED : Label.PROPOSED;
        return new Label(d.code(), status, confidence, d.protection(), d.id(), why.toString());
    }

    /**
     * Whether the detector's name is a word-bounded part of the column's name and every other word
     * only qualifies it (or is neutral), never a measure: {@code customer_email_primary} yes,
     * {@code email_count} no.
     */
    private static boolean partOnlyQualified(Detector d, String name) {
        Matcher m = d.include().matcher(name);
        while (m.find()) {
            boolean startOk = m.start() == 0 || name.charAt(m.start() - 1) == '_';
            boolean endOk = m.end() == name.length() || name.charAt(m.end()) == '_';
            if (!startOk || !endOk || m.end() == m.start()) {
                continue;
            }
            String rest = (name.substring(0, m.start()) + "_" + name.substring(m.end())).replaceAll("^_+|_+$", "");
            boolean measured = false;
            for (String word : rest.split("_+")) {
                if (MEASURES.contains(word) || word.equals("id") || word.equals("code") || word.equals("no") || word.equals("num")
                        || word.equals("number") || word.equals("date")) {
                    measured = true;
                    break;
                }
            }
            if (!measured) {
                return true;
            }
        }
        return false;
    }

    private static Label byDescription(Detector d, Column column, String name, String description) {
        Pattern described = DESCRIBED_AS.get(d.id());
        if (described == null || description.isEmpty() || !described.matcher(description).find() || NOT_RAW.matcher(description).find()) {
            return null;
        }
        for (String word : name.split("_+")) {
            if (MEASURES.contains(word) || word.equals("id")) {
                return null;
            }
        }
        return new Label(d.code(), Label.PROPOSED, DESCRIBED, d.protection(), d.id(),
                "description of '" + column.name() + "' names a " + d.id().replace('_', ' '));
    }

    /** The name without the words that only qualify it ({@code billing_email} → {@code email}). */
    static String core(String name) {
        String core = name;
        boolean changed = true;
        while (changed && core.contains("_")) {
            changed = false;
            int first = core.indexOf('_');
            if (QUALIFIERS.contains(core.substring(0, first))) {
                core = core.substring(first + 1);
                changed = true;
                continue;
            }
            int last = core.lastIndexOf('_');
            if (QUALIFIERS.contains(core.substring(last + 1))) {
                core = core.substring(0, last);
                changed = true;
            }
        }
        return core;
    }

    /** The kind of a declared type, across Spark, SQL dialects, Avro and JSON Schema spellings. */
    static Kind kind(String type) {
        if (type == null || type.isBlank()) {
            return Kind.UNKNOWN;
        }
        String t = type.toLowerCase(Locale.ROOT).strip();
        if (t.startsWith("struct") || t.startsWith("array") || t.startsWith("map") || t.startsWith("record") || t.equals("object")
                || t.startsWith("list") || t.equals("json") || t.equals("jsonb") || t.equals("variant")) {
            return t.equals("json") || t.equals("jsonb") || t.equals("variant") ? Kind.UNKNOWN : Kind.COMPLEX;
        }
        String base = SIZE.matcher(t).replaceAll("").replace("unsigned", "").strip();
        if (base.matches("(n?var)?char(acter)?( varying)?|n?text|string|varchar2|nvarchar2|clob|nclob|uuid|citext|enum|tinytext|mediumtext|longtext|str|inet|cidr|email")) {
            return Kind.TEXT;
        }
        if (base.matches("bool(ean)?|bit")) {
            return Kind.BOOLEAN;
        }
        if (base.matches("(tiny|small|medium|big)?int(eger)?[248]?|int(8|16|32|64|128)|u?int(8|16|32|64)|long|short|byte|serial|bigserial|smallserial")) {
            return Kind.INTEGER;
        }
        if (base.matches("number|numeric|decimal|dec")) {
            // NUMBER(18,0) is a whole number; NUMBER(18,2) is money.
            java.util.regex.Matcher scale = Pattern.compile("\\(\\s*\\d+\\s*,\\s*(\\d+)\\s*\\)").matcher(t);
            return scale.find() && !scale.group(1).equals("0") ? Kind.DECIMAL : Kind.INTEGER;
        }
        if (base.matches("float[48]?|double( precision)?|real|money|smallmoney|float(32|64)")) {
            return Kind.DECIMAL;
        }
        if (base.matches("date|datetime[2]?|smalldatetime|time(stamp)?(tz)?( with(out)? time zone)?|timestamp_(ntz|ltz|tz)|datetimeoffset|interval.*")) {
            return Kind.DATE;
        }
        if (base.matches("binary|varbinary|bytea|blob|bytes|raw|longblob|image")) {
            return Kind.BINARY;
        }
        return Kind.UNKNOWN;
    }
}
