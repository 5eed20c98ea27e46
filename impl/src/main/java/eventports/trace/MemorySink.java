package eventports.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Keeps every record in memory; {@link #records()} returns them in sequence order. */
public final class MemorySink implements TraceSink {
    private final List<TraceRecord> records = new ArrayList<>();

    @Override
    public synchronized void record(TraceRecord r) {
        records.add(r);
    }

    public synchronized List<TraceRecord> records() {
        List<TraceRecord> copy = new ArrayList<>(records);
        copy.sort(Comparator.comparingLong(TraceRecord::seq));
        return copy;
    }

    public synchronized int size() {
        return records.size();
    }

    public synchronized void clear() {
        records.clear();
    }
}
