package eventports.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Everything {@code check} hands to {@link ReportWriter}. Lists may be empty, never null. */
public record Report(String title, Instant generated, List<String> notes, List<SummaryRow> summary,
                     List<ModelCheckStat> modelChecking, List<TimingSeries> timings,
                     List<Interleaving> interleavings) {
    public Report {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(generated, "generated");
        notes = List.copyOf(notes);
        summary = List.copyOf(summary);
        modelChecking = List.copyOf(modelChecking);
        timings = List.copyOf(timings);
        interleavings = List.copyOf(interleavings);
    }

    public Verdict overall() {
        return Verdict.overall(summary.stream().map(SummaryRow::verdict).toList());
    }
}
