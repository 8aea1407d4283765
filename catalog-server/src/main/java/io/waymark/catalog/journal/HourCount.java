package io.waymark.catalog.journal;

/** How many run events of one type the journal holds for one UTC hour ({@code yyyy-MM-ddTHH}). */
public record HourCount(String hour, String type, long count) {
}
