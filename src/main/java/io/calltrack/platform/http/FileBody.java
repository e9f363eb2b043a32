package io.calltrack.platform.http;

import java.nio.file.Path;

/** A response body streamed from a region of a file instead of held in memory (recordings, large exports). */
public record FileBody(Path file, long offset, long length) {}
