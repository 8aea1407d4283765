package io.waymark.catalog.ingest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Utf8Test {
    @Test
    void wellFormedTextPasses() {
        assertEquals(-1, Utf8.firstInvalid("plain ascii, Ünïcödé, 日本, 😀".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-1, Utf8.firstInvalid(new byte[0]));
    }

    @Test
    void overlongSurrogateCutAndOutOfRangeSequencesAreFound() {
        assertEquals(1, Utf8.firstInvalid(new byte[] {'a', (byte) 0xC0, (byte) 0x80}), "overlong NUL");
        assertEquals(0, Utf8.firstInvalid(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}), "overlong '/'");
        assertEquals(0, Utf8.firstInvalid(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), "an encoded surrogate");
        assertEquals(0, Utf8.firstInvalid(new byte[] {(byte) 0xE2, (byte) 0x82}), "a cut sequence");
        assertEquals(0, Utf8.firstInvalid(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}), "past U+10FFFF");
        assertEquals(0, Utf8.firstInvalid(new byte[] {(byte) 0x80}), "a lone continuation byte");
    }

    @Test
    void loneSurrogatesInStringsAreFound() {
        assertEquals(1, Utf8.firstLoneSurrogate("j\ud800"));
        assertEquals(0, Utf8.firstLoneSurrogate("\udc00x"));
        assertEquals(-1, Utf8.firstLoneSurrogate("ok 😀"));
    }
}
