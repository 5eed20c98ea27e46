package eventports.explore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.conformance.CallResult;

/**
 * One step of a run: its FORMAT.md form (with the observed outcome as {@code expect}), the
 * phase, the logical thread it ran (null for driver steps), the call it started or continued,
 * how it ended, what the driver saw before it, and the trace records it produced
 * ({@code trace[traceFrom, traceTo)} of the run), and the position of the schedule value that chose it
 * ({@code -1} for a step the driver took by itself).
 */
public record StepRecord(int index, ObjectNode json, Phase phase, String actor, CallLog call, CallResult result,
                         Obs pre, int traceFrom, int traceTo, int choice) {

    /** MAIN: the program under the schedule; SETTLE: time past every deadline, woken threads run; DRAIN: leftovers taken. */
    public enum Phase { PROLOGUE, MAIN, SETTLE, DRAIN }
}
