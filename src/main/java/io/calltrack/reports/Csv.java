package io.calltrack.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV with a header line, quoted as RFC 4180 wants (Jackson's CSV module does the quoting). What people open in a
 * spreadsheet is written by {@link #write}: a text cell a visitor or an admin could have chosen (a UTM campaign
 * {@code =HYPERLINK(...)}, a channel named {@code @SUM(1,2)}) would run as a formula there, so a text starting with
 * {@code = + - @}, a tab or a carriage return gets a leading {@code '} (OWASP's advice; spreadsheets show the rest as
 * text). Machine uploads whose format is fixed by the receiver use {@link #writeVerbatim}.
 */
public final class Csv {
    private static final CsvMapper MAPPER = (CsvMapper) new CsvMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Csv() {}

    /** Renders rows (values in column order; null is an empty field) under a header of {@code columns}. */
    public static String write(List<String> columns, List<? extends List<?>> rows) {
        return render(columns, rows.stream().map(Csv::defused).toList());
    }

    /**
     * As {@link #write}, text as it is: for a receiver that parses the file itself (Yandex.Metrica's calls upload
     * needs {@code +7...} phone numbers and URLs unchanged), never for a file meant for a spreadsheet.
     */
    public static String writeVerbatim(List<String> columns, List<? extends List<?>> rows) {
        return render(columns, rows);
    }

    /**
     * As {@link #write}, row by row onto {@code out}: for an export too large to hold (the call log), the rows go out
     * as they come from the database. Close the writer to flush its last rows; that does not close {@code out}.
     */
    public static RowWriter stream(java.io.OutputStream out, List<String> columns) throws java.io.IOException {
        RowWriter w = new RowWriter(MAPPER.writer(CsvSchema.emptySchema().withLineSeparator("\r\n"))
                .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValues(out));
        w.rows.write(columns);
        return w;
    }

    /** Rows of one streamed CSV file. */
    public static final class RowWriter implements java.io.Closeable {
        private final com.fasterxml.jackson.databind.SequenceWriter rows;

        private RowWriter(com.fasterxml.jackson.databind.SequenceWriter rows) {
            this.rows = rows;
        }

        /** One row, values in column order (null is an empty field). */
        public void row(List<?> values) throws java.io.IOException {
            rows.write(defused(values));
        }

        @Override
        public void close() throws java.io.IOException {
            rows.close();
        }
    }

    /**
     * Several values as one field, separated by {@code ;}, each defused: a spreadsheet that splits fields on
     * {@code ;} (Excel in a Russian locale does) would otherwise run a formula that is not the field's first value.
     */
    public static String joined(List<String> values) {
        return values.stream().map(v -> startsFormula(v) ? "'" + v : v).collect(java.util.stream.Collectors.joining(";"));
    }

    private static List<?> defused(List<?> row) {
        return fields(row).stream().map(v -> v instanceof String text && startsFormula(text) ? "'" + text : v)
                .toList();
    }

    /** A null as an empty field: Jackson's CSV writer leaves a null element out, shifting the later columns. */
    private static List<Object> fields(List<?> row) {
        return row.stream().<Object>map(v -> v == null ? "" : v).toList();
    }

    private static boolean startsFormula(String text) {
        if (text.isEmpty()) return false;
        char c = text.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    private static String render(List<String> columns, List<? extends List<?>> rows) {
        List<List<?>> all = new ArrayList<>(rows.size() + 1);
        all.add(columns);
        rows.forEach(row -> all.add(fields(row)));
        try {
            return MAPPER.writer(CsvSchema.emptySchema().withLineSeparator("\r\n")).writeValueAsString(all);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses CSV with a header line into one list of fields per data row (the header is returned first). */
    public static List<List<String>> read(String csv) {
        try (var it = MAPPER.readerForListOf(String.class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY)
                .<List<String>>readValues(csv)) {
            return it.readAll();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("broken CSV: " + e.getMessage(), e);
        }
    }
}
