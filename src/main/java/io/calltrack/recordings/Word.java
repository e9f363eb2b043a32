package io.calltrack.recordings;

/** One recognised word, seconds from the start of the recording; {@code confidence} in 0..1. */
public record Word(String text, double start, double end, double confidence) {}
