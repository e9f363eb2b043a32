package io.calltrack.support.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The generators every protocol fuzz test shares: absurd field values, garbage, and mutations of a valid message
 * (at the level of its bytes, its lines, or its {@code Name: value} fields). Each mutation is a record, so a failing
 * sample reads as what was done to the message. The fuzz tests run with {@link #SEED}, printed in every property's
 * report (surefire's {@code *-output.txt}): rerun a failure with the seed and try count it shows.
 */
public final class Fuzz {
    /** Fixed so that CI runs the same inputs every time; change it locally to explore. */
    public static final String SEED = "20261202";

    private Fuzz() {}

    /** Values no sane peer sends in a field: out-of-range numbers, garbage times, odd unicode, huge and empty. */
    public static Arbitrary<String> absurdValue() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("", " ", "-1", "-0", "0", "-2147483649", "2147483648",
                        "9223372036854775808", "-9223372036854775809", "99999999999999999999999999999999", "1e309",
                        "-1e309", "NaN", "Infinity", "0x1F", "1.5", "1,5", "+1", "\u0663", "null", "true", "<unknown>",
                        "unknown", "%s%n", "%00", "%zz", "%", "${ENV}", "\"", "'", "\\", "=", ";", ",", "..", "/",
                        "2026-13-45 25:61:61", "+999999999-12-31", "+300000-01-01T00:00:00Z", "2026-02-30T24:00:00Z", "0000-00-00 00:00:00", "-1795382012.000001",
                        "1795382012.7.7", "1e20", "12345678901234567890.123456", "\u202Eevil", "\uFEFFbom",
                        "\uD835\uDD4F", "\u65E5\u672C", "\uD800", "\u00E9", "\t", "a\u0000b")),
                Tuple.of(3, Arbitraries.strings().ofMaxLength(40)),
                Tuple.of(1, Arbitraries.integers().between(1_000, 70_000).map("9"::repeat)));
    }

    /** Printable garbage: ASCII punctuation, letters, digits and some non-ASCII text. */
    public static Arbitrary<String> garbageText(int maxLength) {
        return Arbitraries.strings().withCharRange(' ', '~').withChars("é日本\u00A0\u2028").ofMaxLength(maxLength);
    }

    /** Bytes that are rarely text: control characters, lone UTF-8 lead bytes, NUL, 0xFF. */
    public static Arbitrary<byte[]> garbageBytes(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
    }

    /** One change to a message's bytes. */
    public sealed interface ByteMutation {
        byte[] apply(byte[] message);
    }

    /** {@code at} (a fraction of the length) and a few bytes overwritten with {@code with}. */
    public record Overwrite(double at, byte[] with) implements ByteMutation {
        public byte[] apply(byte[] m) {
            byte[] out = m.clone();
            int from = index(at, m.length);
            for (int i = 0; i < with.length && from + i < out.length; i++) out[from + i] = with[i];
            return out;
        }

        @Override
        public String toString() {
            return "Overwrite[at=" + at + ", with=" + Arrays.toString(with) + "]";
        }
    }

    public record Insert(double at, byte[] bytes) implements ByteMutation {
        public byte[] apply(byte[] m) {
            int i = index(at, m.length);
            return concat(Arrays.copyOfRange(m, 0, i), bytes, Arrays.copyOfRange(m, i, m.length));
        }

        @Override
        public String toString() {
            return "Insert[at=" + at + ", bytes=" + excerpt(bytes) + "]";
        }
    }

    public record Delete(double at, int length) implements ByteMutation {
        public byte[] apply(byte[] m) {
            int i = index(at, m.length);
            int to = Math.min(m.length, i + length);
            return concat(Arrays.copyOfRange(m, 0, i), Arrays.copyOfRange(m, to, m.length));
        }
    }

    /** Cut off: an unterminated message. */
    public record Truncate(double at) implements ByteMutation {
        public byte[] apply(byte[] m) {
            return Arrays.copyOfRange(m, 0, index(at, m.length));
        }
    }

    /** A byte repeated {@code times} at one place: a huge line, header or value. */
    public record Flood(double at, byte b, int times) implements ByteMutation {
        public byte[] apply(byte[] m) {
            byte[] run = new byte[times];
            Arrays.fill(run, b);
            return new Insert(at, run).apply(m);
        }
    }

    /** Mutations of a message's bytes, one to three at a time. */
    public static Arbitrary<List<ByteMutation>> byteMutations() {
        Arbitrary<Double> at = Arbitraries.doubles().between(0, 1).ofScale(3);
        Arbitrary<byte[]> odd = Arbitraries.frequencyOf(
                Tuple.of(3, garbageBytes(8)),
                Tuple.of(1, Arbitraries.of(new byte[] {0}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3},
                        new byte[] {'\r'}, new byte[] {'\n'}, new byte[] {'\r', '\n'}, new byte[] {'\r', '\n', '\r', '\n'},
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, ":".getBytes(StandardCharsets.US_ASCII))));
        Arbitrary<ByteMutation> one = Arbitraries.oneOf(
                Combinators.combine(at, odd).as(Overwrite::new),
                Combinators.combine(at, odd).as(Insert::new),
                Combinators.combine(at, Arbitraries.integers().between(1, 64)).as(Delete::new),
                at.map(Truncate::new),
                Combinators.combine(at, Arbitraries.of((byte) 'a', (byte) '9', (byte) ' ', (byte) 0x80, (byte) ';'),
                        Arbitraries.integers().between(1_000, 70_000)).as(Flood::new));
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    public static byte[] apply(List<ByteMutation> mutations, byte[] message) {
        byte[] out = message;
        for (ByteMutation m : mutations) out = m.apply(out);
        return out;
    }

    /** One change to the {@code Name: value} lines of a message (header lines, AMI fields). */
    public sealed interface LineMutation {
        List<String> apply(List<String> lines);
    }

    public record DropLine(int index) implements LineMutation {
        public List<String> apply(List<String> lines) {
            List<String> out = new ArrayList<>(lines);
            if (!out.isEmpty()) out.remove(Math.floorMod(index, out.size()));
            return out;
        }
    }

    /** The same line again, right after itself or at the end (a duplicated header). */
    public record DuplicateLine(int index, boolean atEnd) implements LineMutation {
        public List<String> apply(List<String> lines) {
            List<String> out = new ArrayList<>(lines);
            if (out.isEmpty()) return out;
            int i = Math.floorMod(index, out.size());
            out.add(atEnd ? out.size() : i + 1, out.get(i));
            return out;
        }
    }

    public record SwapLines(int a, int b) implements LineMutation {
        public List<String> apply(List<String> lines) {
            List<String> out = new ArrayList<>(lines);
            if (out.size() > 1) java.util.Collections.swap(out, Math.floorMod(a, out.size()), Math.floorMod(b, out.size()));
            return out;
        }
    }

    /** The value after {@code ": "} replaced (the whole line if it has none). */
    public record ReplaceValue(int index, String value) implements LineMutation {
        public List<String> apply(List<String> lines) {
            List<String> out = new ArrayList<>(lines);
            if (out.isEmpty()) return out;
            int i = Math.floorMod(index, out.size());
            String line = out.get(i);
            int colon = line.indexOf(": ");
            out.set(i, colon < 0 ? value : line.substring(0, colon + 2) + value);
            return out;
        }

        @Override
        public String toString() {
            return "ReplaceValue[index=" + index + ", value=" + excerpt(value.getBytes(StandardCharsets.UTF_8)) + "]";
        }
    }

    /** The name before {@code ":"} replaced: an unknown or misspelt field. */
    public record ReplaceName(int index, String name) implements LineMutation {
        public List<String> apply(List<String> lines) {
            List<String> out = new ArrayList<>(lines);
            if (out.isEmpty()) return out;
            int i = Math.floorMod(index, out.size());
            String line = out.get(i);
            int colon = line.indexOf(':');
            out.set(i, name + (colon < 0 ? ": " + line : line.substring(colon)));
            return out;
        }
    }

    public record InsertLine(int index, String line) implements LineMutation {
        public List<String> apply(List<String> lines) {
            List<String> out = new ArrayList<>(lines);
            out.add(Math.floorMod(index, out.size() + 1), line);
            return out;
        }

        @Override
        public String toString() {
            return "InsertLine[index=" + index + ", line=" + excerpt(line.getBytes(StandardCharsets.UTF_8)) + "]";
        }
    }

    /**
     * Mutations of {@code Name: value} lines, one to four at a time; {@code names} are field names of the protocol,
     * so a duplicated or inserted known field is likely.
     */
    public static Arbitrary<List<LineMutation>> lineMutations(List<String> names) {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 1_000);
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of(names), garbageText(12),
                Arbitraries.of("", " ", "X-Unknown", "Event", "\u00E9vent"));
        Arbitrary<String> field = Combinators.combine(name, absurdValue()).as((n, v) -> n + ": " + v);
        Arbitrary<LineMutation> one = Arbitraries.oneOf(
                index.map(DropLine::new),
                Combinators.combine(index, Arbitraries.of(true, false)).as(DuplicateLine::new),
                Combinators.combine(index, index).as(SwapLines::new),
                Combinators.combine(index, absurdValue()).as(ReplaceValue::new),
                Combinators.combine(index, name).as(ReplaceName::new),
                Combinators.combine(index, Arbitraries.oneOf(field, garbageText(80))).as(InsertLine::new));
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    public static List<String> apply(List<LineMutation> mutations, List<String> lines) {
        List<String> out = lines;
        for (LineMutation m : mutations) out = m.apply(out);
        return out;
    }

    /** At most 60 characters of {@code bytes} as text, with the length when cut, so reports stay readable. */
    public static String excerpt(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, 60), StandardCharsets.ISO_8859_1)
                .replace("\r", "\\r").replace("\n", "\\n");
        return bytes.length > 60 ? "\"" + s + "\"... (" + bytes.length + " bytes)" : "\"" + s + "\"";
    }

    private static int index(double at, int length) {
        return (int) Math.min(length, Math.round(at * length));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
