package io.waymark.catalog.alert;

/** A notification channel as stored: {@code settings} and {@code route} are JSON; secrets only in {@code secretEnc}. */
public record ChannelRow(String name, String type, String settings, String secretEnc, String route, String createdAt, String createdBy) {
}
