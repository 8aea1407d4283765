package io.waymark.policy.classify;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Value validators with real check digits; each returns whether one sample value passes. */
public final class Validators {
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,63}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
    private static final Pattern SSN = Pattern.compile("(\\d{3})-?(\\d{2})-?(\\d{4})");
    private static final Set<String> SSN_ADVERTISED = Set.of("078051120", "219099999", "123456789");
    private static final Pattern ICD10 = Pattern.compile("[A-TV-Z][0-9][0-9AB](\\.?[0-9A-TV-Z]{1,4})?");
    private static final Pattern UK_POSTCODE_DISTRICT = Pattern.compile("(E|N|W|SE|SW|NW|EC|WC)[0-9]{1,2}[A-Z]?");
    private static final Pattern IBAN = Pattern.compile("[A-Z]{2}\\d{2}[A-Z0-9]{11,30}");
    private static final Map<String, Integer> IBAN_LENGTHS = Map.ofEntries(
            Map.entry("DE", 22), Map.entry("FR", 27), Map.entry("GB", 22), Map.entry("NL", 18), Map.entry("NO", 15),
            Map.entry("ES", 24), Map.entry("IT", 27), Map.entry("BE", 16), Map.entry("AT", 20), Map.entry("CH", 21),
            Map.entry("IE", 22), Map.entry("PL", 28), Map.entry("PT", 25), Map.entry("SE", 24), Map.entry("DK", 18),
            Map.entry("FI", 18), Map.entry("LU", 20), Map.entry("CZ", 24), Map.entry("GR", 27), Map.entry("HU", 28));
    private static final Pattern BIC = Pattern.compile("[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern CVV = Pattern.compile("\\d{3,4}");
    private static final Pattern EXPIRY = Pattern.compile("(0[1-9]|1[0-2])/?(\\d{2}|20\\d{2})");
    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
    private static final Pattern B64_HASH = Pattern.compile("[A-Za-z0-9+/]{22}==|[A-Za-z0-9+/]{27}=|[A-Za-z0-9+/]{43}=");
    private static final List<DateTimeFormatter> DATES = List.of(DateTimeFormatter.ISO_LOCAL_DATE,
            DateTimeFormatter.ofPattern("dd.MM.uuuu"), DateTimeFormatter.ofPattern("MM/dd/uuuu"), DateTimeFormatter.ofPattern("uuuuMMdd"));

    /** Card brands by IIN range and allowed lengths (ISO/IEC 7812; includes 2-series Mastercard and Mir). */
    private record Range(long from, long to, int digits, int minLength, int maxLength) {}

    private static final List<Range> IIN = List.of(
            new Range(4, 4, 1, 13, 19),
            new Range(51, 55, 2, 16, 16), new Range(2221, 2720, 4, 16, 16),
            new Range(34, 34, 2, 15, 15), new Range(37, 37, 2, 15, 15),
            new Range(6011, 6011, 4, 16, 19), new Range(644, 649, 3, 16, 19), new Range(65, 65, 2, 16, 19),
            new Range(3528, 3589, 4, 16, 19),
            new Range(300, 305, 3, 14, 19), new Range(3095, 3095, 4, 14, 19), new Range(36, 36, 2, 14, 19), new Range(38, 39, 2, 14, 19),
            new Range(62, 62, 2, 16, 19),
            new Range(5018, 5018, 4, 12, 19), new Range(5020, 5020, 4, 12, 19), new Range(5038, 5038, 4, 12, 19),
            new Range(5893, 5893, 4, 12, 19), new Range(6304, 6304, 4, 12, 19), new Range(6759, 6759, 4, 12, 19),
            new Range(6761, 6763, 4, 12, 19),
            new Range(2200, 2204, 4, 16, 19));

    private Validators() {}

    public static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** A PAN: 12-19 digits in a known IIN range of the right length, Luhn-valid, not one repeated digit. */
    public static boolean pan(String value) {
        String digits = value.replaceAll("[ -]", "");
        if (digits.length() < 12 || digits.length() > 19 || !DIGITS.matcher(digits).matches() || digits.chars().distinct().count() == 1) {
            return false;
        }
        return inIinRange(digits) && luhn(digits);
    }

    static boolean inIinRange(String digits) {
        for (Range r : IIN) {
            long prefix = Long.parseLong(digits.substring(0, r.digits()));
            if (prefix >= r.from() && prefix <= r.to() && digits.length() >= r.minLength() && digits.length() <= r.maxLength()) {
                return true;
            }
        }
        return false;
    }

    /**
     * An IMEI: 15 Luhn-valid digits. Many TACs start with 35, inside JCB's 3528-3589, so a column of
     * such values is only a PAN column when the name says so.
     */
    public static boolean imeiShaped(String value) {
        String digits = value.replaceAll("[ -]", "");
        return digits.length() == 15 && DIGITS.matcher(digits).matches() && luhn(digits);
    }

    public static boolean iban(String value) {
        String v = value.replace(" ", "").toUpperCase();
        if (!IBAN.matcher(v).matches()) {
            return false;
        }
        Integer length = IBAN_LENGTHS.get(v.substring(0, 2));
        if (length != null && length != v.length()) {
            return false;
        }
        String rearranged = v.substring(4) + v.substring(0, 4);
        StringBuilder numeric = new StringBuilder();
        for (char c : rearranged.toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    /** US SSN: area not 000, 666 or 9xx; group not 00; serial not 0000; not an advertised number. */
    public static boolean ssn(String value) {
        var m = SSN.matcher(value.strip());
        if (!m.matches()) {
            return false;
        }
        int area = Integer.parseInt(m.group(1));
        return area != 0 && area != 666 && area < 900 && !m.group(2).equals("00") && !m.group(3).equals("0000")
                && !SSN_ADVERTISED.contains(m.group(1) + m.group(2) + m.group(3));
    }

    public static boolean email(String value) {
        return value.length() <= 254 && EMAIL.matcher(value.strip()).matches();
    }

    public static boolean e164(String value) {
        return E164.matcher(value.replaceAll("[ ()-]", "")).matches();
    }

    /** NHS number: 10 digits, mod-11 check digit (a remainder giving 10 is invalid). */
    public static boolean nhs(String value) {
        String digits = value.replace(" ", "").replace("-", "");
        if (digits.length() != 10 || !DIGITS.matcher(digits).matches()) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (digits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        return check != 10 && check == digits.charAt(9) - '0';
    }

    /** ICD-10(-CM) code shape, refusing London postcode districts such as E11 or N1. */
    public static boolean icd10(String value) {
        String v = value.strip().toUpperCase();
        return ICD10.matcher(v).matches() && !UK_POSTCODE_DISTRICT.matcher(v).matches();
    }

    /** A plausible date of birth: a date 0 to 120 years ago, not in the future. */
    public static boolean dateOfBirth(String value, LocalDate today) {
        for (DateTimeFormatter f : DATES) {
            try {
                LocalDate d = LocalDate.parse(value.strip(), f);
                return !d.isAfter(today) && d.isAfter(today.minusYears(120));
            } catch (DateTimeParseException ignored) {
                // try the next format
            }
        }
        return false;
    }

    /** IPv4 dotted quad or an IPv6 literal; never resolves a name. */
    public static boolean ip(String value) {
        String v = value.strip();
        if (IPV4.matcher(v).matches()) {
            return true;
        }
        if (!v.contains(":") || !IPV6_CHARS.matcher(v).matches()) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(v) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    public static boolean bic(String value) {
        return BIC.matcher(value.strip().toUpperCase()).matches();
    }

    private static final Pattern ABA = Pattern.compile("(0[0-9]|1[0-2]|2[1-9]|3[0-2]|6[1-9]|7[0-2]|80)\\d{7}");

    /**
     * A US bank routing (ABA) number: nine digits, a Federal Reserve prefix and the weighted
     * 3-7-1 check digit. A random nine-digit number passes about one time in 25, an SSN column
     * about as often, so a column that passes almost always holds routing numbers, not SSNs.
     */
    public static boolean abaRouting(String value) {
        String v = value.strip();
        if (!ABA.matcher(v).matches()) {
            return false;
        }
        int[] d = v.chars().map(c -> c - '0').toArray();
        return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 == 0;
    }

    private static final Pattern TRACK1 = Pattern.compile("%?B(\\d{12,19})\\^[^^]{2,26}\\^\\d{7}[^?]*\\??");
    private static final Pattern TRACK2 = Pattern.compile(";?(\\d{12,19})=\\d{7}\\d*\\??");

    /** Magnetic-stripe track 1 or 2 data (ISO/IEC 7813) around a PAN that passes the card checks. */
    public static boolean track(String value) {
        String v = value.strip();
        var m = TRACK1.matcher(v);
        if (m.matches()) {
            return pan(m.group(1));
        }
        m = TRACK2.matcher(v);
        return m.matches() && pan(m.group(1));
    }

    /** Common given names, to tell a person's name from a city's or a product's of the same shape. */
    private static final Set<String> GIVEN_NAMES = Set.copyOf(List.of(
            "james", "john", "robert", "michael", "william", "david", "richard", "joseph", "thomas", "charles", "christopher", "daniel",
            "matthew", "anthony", "mark", "donald", "steven", "paul", "andrew", "joshua", "kenneth", "kevin", "brian", "george", "timothy",
            "ronald", "edward", "jason", "jeffrey", "ryan", "jacob", "gary", "nicholas", "eric", "jonathan", "stephen", "larry", "justin",
            "scott", "brandon", "benjamin", "samuel", "frank", "gregory", "raymond", "alexander", "patrick", "jack", "dennis", "jerry",
            "tyler", "aaron", "jose", "adam", "henry", "nathan", "douglas", "zachary", "peter", "kyle", "walter", "ethan", "jeremy", "harold",
            "keith", "christian", "roger", "noah", "gerald", "carl", "terry", "sean", "austin", "arthur", "lawrence", "jesse", "dylan",
            "bryan", "joe", "jordan", "billy", "bruce", "albert", "willie", "gabriel", "logan", "alan", "juan", "wayne", "roy", "ralph",
            "randy", "eugene", "vincent", "russell", "elijah", "louis", "bobby", "philip", "johnny", "mary", "patricia", "jennifer", "linda",
            "elizabeth", "barbara", "susan", "jessica", "sarah", "karen", "nancy", "lisa", "betty", "margaret", "sandra", "ashley",
            "kimberly", "emily", "donna", "michelle", "dorothy", "carol", "amanda", "melissa", "deborah", "stephanie", "rebecca", "sharon",
            "laura", "cynthia", "kathleen", "amy", "shirley", "angela", "helen", "anna", "brenda", "pamela", "nicole", "emma", "samantha",
            "katherine", "christine", "debra", "rachel", "catherine", "carolyn", "janet", "ruth", "maria", "heather", "diane", "virginia",
            "julie", "joyce", "victoria", "olivia", "kelly", "christina", "lauren", "joan", "evelyn", "judith", "megan", "cheryl", "andrea",
            "hannah", "martha", "jacqueline", "frances", "gloria", "ann", "teresa", "kathryn", "sara", "janice", "jean", "alice", "madison",
            "doris", "abigail", "julia", "judy", "grace", "denise", "amber", "marilyn", "beverly", "danielle", "theresa", "sophia", "marie",
            "diana", "brittany", "natalie", "isabella", "charlotte", "rose", "alexis", "kayla", "jane", "anne", "hans", "peter", "klaus",
            "jürgen", "stefan", "wolfgang", "andreas", "michael", "thomas", "sabine", "ursula", "monika", "petra", "claudia", "pierre",
            "jean", "michel", "philippe", "marie", "nathalie", "isabelle", "sophie", "giuseppe", "giovanni", "marco", "francesca", "chiara",
            "carlos", "luis", "javier", "miguel", "carmen", "lucia", "ana", "sofia", "pablo", "jan", "piotr", "anna", "katarzyna", "lars",
            "erik", "ingrid", "astrid", "sven", "mohammed", "ahmed", "ali", "fatima", "wei", "li", "yan", "hiroshi", "yuki", "raj", "priya",
            "amit", "sanjay", "olga", "ivan", "dmitri", "elena", "tatiana", "jim", "bob", "bill", "tom", "mike", "dave", "sam", "ben", "kate",
            "liz", "sue", "tim", "jon", "max", "leo", "mia", "ella", "ava", "lily", "chloe", "zoe", "lucy", "jake", "luke", "oliver", "harry"));
    private static final Pattern NAME_WORD = Pattern.compile("\\p{Lu}[\\p{L}'-]+");
    /** Lower-case parts of family names: van Dyke, de la Cruz, bin Salman. */
    private static final Set<String> PARTICLES = Set.of("van", "von", "de", "da", "del", "della", "der", "den", "di", "du", "la", "le", "bin", "al", "ter", "ten");
    private static final Pattern INITIAL = Pattern.compile("\\p{Lu}\\.?");

    /**
     * A person's full name in one of the usual forms: "First Last", "First M. Last", "First Middle
     * Last" or "Last, First [M.]", where a given name of the dictionary is where a given name goes.
     * "New York" and "Green Tea" have the shape and fail here.
     */
    public static boolean fullName(String value) {
        String v = value.strip().replaceAll("\\s+", " ");
        String given;
        String[] rest;
        int comma = v.indexOf(',');
        if (comma > 0) {
            String last = v.substring(0, comma).strip();
            String[] first = v.substring(comma + 1).strip().split(" ");
            if (!last.split(" ")[0].matches(NAME_WORD.pattern()) || first.length == 0 || first.length > 2) {
                return false;
            }
            given = first[0];
            rest = first.length == 2 ? new String[] {first[1]} : new String[0];
        } else {
            String[] words = v.split(" ");
            if (words.length < 2 || words.length > 4) {
                return false;
            }
            given = words[0];
            rest = java.util.Arrays.copyOfRange(words, 1, words.length);
            if (!NAME_WORD.matcher(words[words.length - 1]).matches()) {
                return false;
            }
        }
        if (!NAME_WORD.matcher(given).matches() || !GIVEN_NAMES.contains(given.toLowerCase(java.util.Locale.ROOT))) {
            return false;
        }
        for (String w : rest) {
            if (!NAME_WORD.matcher(w).matches() && !INITIAL.matcher(w).matches() && !PARTICLES.contains(w)) {
                return false;
            }
        }
        return true;
    }

    /** A calendar date in one of the usual formats (ISO, with or without a time; dd.MM.yyyy; MM/dd/yyyy; yyyyMMdd). */
    public static boolean date(String value) {
        String v = value.strip();
        String day = v.length() > 10 && (v.charAt(10) == 'T' || v.charAt(10) == ' ') ? v.substring(0, 10) : v;
        for (DateTimeFormatter f : DATES) {
            try {
                LocalDate.parse(day, f);
                return true;
            } catch (DateTimeParseException ignored) {
                // try the next format
            }
        }
        return false;
    }

    public static boolean cvv(String value) {
        return CVV.matcher(value.strip()).matches();
    }

    public static boolean cardExpiry(String value) {
        return EXPIRY.matcher(value.strip()).matches();
    }

    public static boolean hash(String value) {
        String v = value.strip();
        return HEX_HASH.matcher(v).matches() || B64_HASH.matcher(v).matches();
    }
}
