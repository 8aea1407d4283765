package io.waymark.policy.classify;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassifierTest {
    private final Classifier classifier = new Classifier(LocalDate.of(2026, 11, 22));

    private List<Label> one(String column, String... values) {
        return classifier.classify(Map.of(column, List.of(values))).get(column);
    }

    private static List<String> codes(List<Label> labels) {
        return labels.stream().map(Label::code).toList();
    }

    @Test
    void everyDetectorCodeIsInTheTaxonomy() {
        var taxonomy = io.waymark.policy.taxonomy.Taxonomy.load();
        for (String code : classifier.codes()) {
            assertTrue(taxonomy.find(code).isPresent(), code);
        }
    }

    @Test
    void validatorsUseRealCheckDigits() {
        assertTrue(Validators.pan("4111 1111 1111 1111"));
        assertTrue(Validators.pan("2221000000000009"), "2-series Mastercard");
        assertTrue(Validators.pan("2200000000000004"), "Mir");
        assertFalse(Validators.pan("4111111111111112"), "Luhn");
        assertFalse(Validators.pan("9111111111111113"), "no card brand starts with 9");
        assertFalse(Validators.pan("0000000000000000"), "one repeated digit");
        assertTrue(Validators.iban("DE89 3704 0044 0532 0130 00"));
        assertFalse(Validators.iban("DE89 3704 0044 0532 0130 01"), "mod 97");
        assertFalse(Validators.iban("DE89370400440532013"), "German IBANs have 22 characters");
        assertTrue(Validators.ssn("536-22-1234"));
        assertFalse(Validators.ssn("912-34-5678"), "9xx areas are ITINs, not SSNs");
        assertFalse(Validators.ssn("666-12-3456"));
        assertFalse(Validators.ssn("123-45-6789"), "advertised number");
        assertFalse(Validators.ssn("12345-6789"), "ZIP+4");
        assertTrue(Validators.nhs("943 476 5919"));
        assertFalse(Validators.nhs("943 476 5918"));
        assertTrue(Validators.icd10("E11.9"));
        assertFalse(Validators.icd10("E11"), "a London postcode district, not a diagnosis");
        assertTrue(Validators.email("jane.doe@example.com"));
        assertTrue(Validators.e164("+44 20 7946 0958"));
        assertTrue(Validators.ip("192.168.0.1"));
        assertTrue(Validators.ip("2001:db8::1"));
        assertFalse(Validators.ip("1.2.3.400"));
        assertFalse(Validators.ip("example.com"), "names are never resolved");
        assertTrue(Validators.dateOfBirth("1980-02-29", LocalDate.of(2026, 1, 1)));
        assertFalse(Validators.dateOfBirth("2030-01-01", LocalDate.of(2026, 1, 1)));
    }

    @Test
    void cardNumbersAreDetectedWithAnExplanation() {
        List<Label> labels = one("cardNumber", "4111111111111111", "5555555555554444", "378282246310005", "4012888888881881");
        assertEquals(List.of("PCI.PAN"), codes(labels));
        Label pan = labels.get(0);
        assertEquals(Label.DETECTED, pan.status());
        assertTrue(pan.confidence() >= 0.9);
        assertTrue(pan.explanation().contains("4/4 samples pass the pan validator"), pan.explanation());
        assertTrue(pan.explanation().contains("test card numbers"), pan.explanation());
    }

    @Test
    void knownFalsePositivesAreNotCardNumbers() {
        assertTrue(one("fiscal_year", "2019", "2020", "2021", "2022").isEmpty(), "years");
        assertTrue(one("product_code", "9111111111111113", "9222222222222226").isEmpty(), "Luhn-valid codes outside every IIN range");
        List<Label> imei = one("device_imei", "356938035643809", "352099001761481", "353918057562419");
        assertFalse(codes(imei).contains("PCI.PAN"), "IMEIs with JCB-like prefixes");
        assertEquals(List.of("PII.online.device_id"), codes(imei));
        assertTrue(one("value", "356938035643809", "352099001761481").isEmpty(), "IMEI-shaped values without a name");
    }

    @Test
    void cvvNeedsACardBesideItAndACvcYearIsNoCvv() {
        Map<String, List<String>> card = new LinkedHashMap<>();
        card.put("card_number", List.of("4111111111111111", "5555555555554444"));
        card.put("cvv", List.of("123", "987"));
        card.put("cvc_year", List.of("2024", "2025"));
        Map<String, List<Label>> labels = classifier.classify(card);
        assertEquals(List.of("PCI.SAD.cvv"), codes(labels.get("cvv")));
        assertTrue(labels.get("cvc_year").isEmpty(), "cvc_year holds years");
        assertTrue(one("cvv", "123", "987").isEmpty(), "no card data in the dataset");
    }

    @Test
    void namesAloneAreWeakEvidenceAndHashesKeepTheirClass() {
        Label nameOnly = one("customer_email").get(0);
        assertEquals("PII.contact.email", nameOnly.code());
        assertEquals(Label.NAME_ONLY, nameOnly.status());
        assertTrue(one("email_opened", "true", "false").isEmpty(), "excluded name");
        Label hashed = one("email_sha256", "a".repeat(64), "b".repeat(64)).get(0);
        assertEquals("PII.contact.email", hashed.code());
        assertEquals("HASHED_UNKEYED", hashed.protection());
        assertEquals(Label.DETECTED, hashed.status());
    }

    @Test
    void weakValueMatchesWaitForAStewardOrNeedTheName() {
        List<Label> mixed = one("contact", "jane@example.com", "bob@example.com", "n/a", "jim@example.com", "x");
        assertTrue(mixed.isEmpty(), "60% e-mails and no telling name: nothing");
        List<Label> named = one("email", "jane@example.com", "bob@example.com", "n/a", "jim@example.com", "x");
        assertEquals(Label.PROPOSED, named.get(0).status(), named.get(0).explanation());
        assertTrue(named.get(0).confidence() < Classifier.REVIEW_THRESHOLD);
    }

    @Test
    void healthCodesNeedAHealthContextAndNamesAreNormalised() {
        assertEquals("date_of_birth", Classifier.normalise("c_DateOfBirth1"));
        assertEquals("zip", Classifier.normalise("address.zip"));
        Map<String, List<String>> patients = new LinkedHashMap<>();
        patients.put("patient_id", List.of());
        patients.put("code", List.of("E11.9", "I10", "J45.909"));
        assertEquals(List.of("PHI.clinical.diagnosis"), codes(classifier.classify(patients).get("code")));
        Map<String, List<String>> shop = Map.of("code", List.of("E11.9", "I10", "J45.909"));
        assertTrue(classifier.classify(shop).get("code").isEmpty(), "codes shaped like ICD-10 in a shop table");
        assertEquals(List.of("PII.id.national.us_ssn"), codes(one("ssn", "536-22-1234", "078-05-1121", "219-09-9998")));
        assertEquals(List.of("PII.demo.dob"), codes(one("birth_date", "1980-02-29", "1975-12-01")));
        assertTrue(one("created_at", "2024-01-01", "2024-01-02").isEmpty(), "dates without a birth name");
    }

    private static String aba(java.util.Random random) {
        String[] prefixes = {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "21", "26", "31", "61", "67", "72", "80"};
        while (true) {
            String v = prefixes[random.nextInt(prefixes.length)] + String.format("%07d", random.nextInt(10_000_000));
            if (Validators.abaRouting(v)) {
                return v;
            }
        }
    }

    @Test
    void routingNumbersAreNotSocialSecurityNumbers() {
        var random = new java.util.Random(7);
        List<String> routing = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            routing.add(aba(random));
        }
        assertTrue(Validators.abaRouting("021000021"), "a real routing number");
        assertFalse(Validators.abaRouting("021000022"), "the 3-7-1 check digit");
        List<Label> labels = one("bank_ref", routing.toArray(String[]::new));
        assertEquals(List.of("FIN.bank.routing"), codes(labels), labels.toString());
        // SSNs pass the routing check about one time in 25: a column of them stays SSNs.
        List<String> ssns = new java.util.ArrayList<>();
        while (ssns.size() < 40) {
            String v = String.format("%03d%02d%04d", 1 + random.nextInt(665), 1 + random.nextInt(99), 1 + random.nextInt(9999));
            if (Validators.ssn(v)) {
                ssns.add(v);
            }
        }
        assertEquals(List.of("PII.id.national.us_ssn"), codes(one("tax_id", ssns.toArray(String[]::new))));
    }

    @Test
    void cardTrackDataIsFound() {
        assertTrue(Validators.track(";4111111111111111=25121010000000000000?"));
        assertTrue(Validators.track("%B4111111111111111^DOE/JANE^2512101000000000000?"));
        assertFalse(Validators.track(";4111111111111112=25121010000000000000?"), "the PAN inside fails Luhn");
        assertEquals(List.of("PCI.SAD.track"), codes(one("raw_swipe", ";4111111111111111=25121010000000000000?",
                ";5555555555554444=26011010000000000000?", "%B4012888888881881^SMITH/JOHN^2603101000000000000?")));
    }

    @Test
    void personNamesAreFoundInColumnsNotCalledName() {
        List<Label> names = one("contact", "Smith, Jane", "John A. Doe", "Maria Garcia", "Peter van Dyke", "Doe, John A.");
        assertEquals(List.of("PII.name.full"), codes(names), names.toString());
        assertTrue(one("city", "New York", "San Francisco", "Los Angeles", "Santa Fe", "Salt Lake City").isEmpty(), "places have the shape");
        assertTrue(one("product", "Green Tea", "Black Coffee", "Blue Cheese").isEmpty());
    }

    @Test
    void healthDataNeedsAHealthDataset() {
        Map<String, List<String>> store = new LinkedHashMap<>();
        store.put("store_id", List.of("S101", "T205", "A330", "B121", "C220"));
        store.put("store_zip", List.of("94105", "10001", "60601", "73301"));
        store.put("opened_on", List.of("2019-03-01", "2020-07-15"));
        Map<String, List<Label>> retail = classifier.classify(store);
        assertTrue(retail.values().stream().allMatch(List::isEmpty), "store ids are not diagnoses, store ZIPs not health data: " + retail);

        Map<String, List<String>> encounters = new LinkedHashMap<>();
        encounters.put("mrn", List.of("MRN0001", "MRN0002"));
        encounters.put("diagnosis", List.of("E11.9", "I10", "J45.909"));
        encounters.put("zip", List.of("94105", "10001", "60601"));
        encounters.put("admission_date", List.of("2024-01-03", "2024-02-11", "2024-03-30"));
        Map<String, List<Label>> health = classifier.classify(encounters);
        assertEquals(List.of("PHI.geo.zip"), codes(health.get("zip")), health.toString());
        assertEquals(List.of("PHI.date.service"), codes(health.get("admission_date")), health.toString());
    }
}
