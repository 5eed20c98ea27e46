package eventports.tracevalidation;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A streaming pass over a whole run's trace file before it is loaded: a file of any size is
 * read in constant memory, and what would make loading it wrong or impossible is an error
 * naming the line and the record — never an OutOfMemoryError or a hang (issue 14, "Bad input").
 *
 * <ul>
 *   <li>a truncated last line (a run killed mid-write) is not a record;</li>
 *   <li>{@code seq} counts up by one: a gap is a missing record, a repeat or a step back is a
 *       file out of order or two runs mixed;</li>
 *   <li>more records than {@code budget} do not fit in this JVM's memory: the error names the
 *       first record past it (validate a shorter run, or give the JVM more heap).</li>
 * </ul>
 * It reads only each line's leading {@code {"seq":N,} as the core writes it (FileSink, Ndjson);
 * a line in any other shape is left to {@link TraceIo}, which parses every field.
 */
public final class RunScan {
    /** Heap a loaded record takes, with its per-port copy and the batch file TLC's loader reads: a generous estimate. */
    static final long BYTES_PER_RECORD = 2_048;

    private RunScan() {
    }

    /** How many records fit in this JVM's heap, loaded whole. */
    public static long budget() {
        return Runtime.getRuntime().maxMemory() / BYTES_PER_RECORD;
    }

    /** Scan {@code file}; its number of records, or an IOException naming the first bad line. */
    public static long check(Path file, long budget) throws IOException {
        if (Files.isDirectory(file) || !Files.exists(file)) {
            return 0;       // TraceIo names these
        }
        long[] records = {0};
        return scan(file, (line, where, seq) -> {
            if (++records[0] > budget) {
                throw new IOException(where + "record " + (seq >= 0 ? "seq " + seq : "#" + records[0]) + " is past "
                        + budget + " records, as many as this JVM's heap holds loaded whole ("
                        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB): validate a shorter run, or"
                        + " give the JVM more heap (EVENTPORTS_JAVA_OPTS=-Xmx...)");
            }
        });
    }

    /** What {@link #scan} hands on: a record's line, "FILE:LINE: " for errors, its seq (or -1). */
    interface Each {
        void record(String line, String where, long seq) throws IOException;
    }

    /**
     * The streaming pass: each record's line, once the checks above pass for it (the budget is
     * the caller's); the number of records.
     */
    static long scan(Path file, Each each) throws IOException {
        long records = 0;
        long prev = -1;
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + ":" + n + ": ";
                if (!line.strip().endsWith("}")) {
                    throw new IOException(where + "truncated record (the line does not end the JSON object): "
                            + abbreviate(line));
                }
                long seq = leadingSeq(line);
                if (seq >= 0) {
                    if (prev >= 0 && seq != prev + 1) {
                        throw new IOException(where + "\"seq\" " + seq + " follows " + prev + ": "
                                + (seq <= prev ? "records out of order, repeated, or two runs mixed"
                                : "record " + (prev + 1) + " is missing"));
                    }
                    prev = seq;
                }
                records++;
                each.record(line, where, seq);
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text (a binary file?)", e);
        }
        return records;
    }

    /** N of a line that starts {@code {"seq":N,}, else -1. */
    static long leadingSeq(String line) {
        String p = "{\"seq\":";
        if (!line.startsWith(p)) {
            return -1;
        }
        long v = 0;
        int i = p.length();
        int start = i;
        while (i < line.length() && Character.isDigit(line.charAt(i)) && i - start < 18) {
            v = v * 10 + (line.charAt(i++) - '0');
        }
        return i > start && i < line.length() && line.charAt(i) == ',' ? v : -1;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
