package io.calltrack.platform.http;

import java.util.Optional;

/** One satisfiable byte range of an HTTP {@code Range} header (RFC 9110 14.1.2): first..last inclusive. */
public record ByteRange(long first, long last) {

    public long length() {
        return last - first + 1;
    }

    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * Parses {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} against a file of {@code size} bytes.
     * Empty = serve the whole file (no header, another unit, or several ranges, which a server may ignore).
     * Throws {@link Unsatisfiable} when the range cannot be satisfied or is malformed.
     */
    public static Optional<ByteRange> parse(Optional<String> header, long size) {
        if (header.isEmpty() || !header.get().startsWith("bytes=")) return Optional.empty();
        String spec = header.get().substring("bytes=".length()).trim();
        if (spec.contains(",")) return Optional.empty();
        int dash = spec.indexOf('-');
        if (dash < 0) throw unsatisfiable(size);
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            long first;
            long last;
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) throw unsatisfiable(size);
                first = Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = Long.parseLong(a);
                last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            }
            if (first < 0 || first >= size || last < first) throw unsatisfiable(size);
            return Optional.of(new ByteRange(first, last));
        } catch (NumberFormatException e) {
            throw unsatisfiable(size);
        }
    }

    private static Unsatisfiable unsatisfiable(long size) {
        return new Unsatisfiable(size);
    }

    /** The range lies outside the file or is malformed: answer 416 with {@code Content-Range: bytes *}{@code /size}. */
    public static final class Unsatisfiable extends RuntimeException {
        private final long size;

        Unsatisfiable(long size) {
            super("requested range not satisfiable; the file has " + size + " bytes");
            this.size = size;
        }

        public ApiResponse response() {
            return ApiResponse.json(416, java.util.Map.of("error", getMessage()))
                    .withHeader("Content-Range", "bytes */" + size);
        }
    }
}
