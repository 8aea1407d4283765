package io.waymark.catalog.discovery;

/** One scan of a connection: its state, what it read so far and, when it failed, why. */
public record ScanRow(String id, String connection, String state, String startedAt, String finishedAt, int tables, int columns,
                      double progress, String error, String changesJson) {}
