package eventports.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a scenario's steps act on: the Java core on the deterministic runtime
 * ({@link CoreTarget}), or another implementation of event ports driven over PROTOCOL.md
 * ({@link ExternalTarget}). {@link ScenarioRun} reads the scenario, resolves its names and
 * checks the expectations; a target only executes. Its arguments are therefore numbers, the
 * fields of a PROTOCOL.md request: descriptor names are already resolved, poll bits, sources
 * and alert flags are already numeric, and {@code user} is the scenario's JSON value.
 *
 * <p>Every method ends with the target settled (PROTOCOL.md "Blocking, waking and settling").
 * A failure of the target itself (not of the implementation under test: a protocol error, a
 * dead child process) is a {@link ScenarioException}.
 */
public interface Target extends AutoCloseable {

    /** Start call {@code op} (a PROTOCOL.md call) on an idle thread of {@code proc}. */
    CallResult call(String thread, String proc, String op, ObjectNode args, String pause) throws ScenarioException;

    /** Run (or look at) a thread whose call is in progress: its result, or that it still blocks or is paused. */
    CallResult await(String thread) throws ScenarioException;

    /** {@code idle}, {@code blocked} (asleep, nothing pending), {@code runnable} or {@code paused}. */
    String state(String thread) throws ScenarioException;

    void fork(String proc, String child) throws ScenarioException;

    /** Virtual time moves forward by {@code ms} (saturating); timed waits that pass their deadline time out. */
    void advance(long ms) throws ScenarioException;

    void interrupt(String thread) throws ScenarioException;

    /** A pollable object opened by {@code proc}: RETURNED with the descriptor, or an errno. */
    CallResult fdOpen(String proc) throws ScenarioException;

    void fdReady(String proc, int fd, int events) throws ScenarioException;

    void fdClear(String proc, int fd) throws ScenarioException;

    /**
     * {@code proc} passes its descriptor {@code fd} to process {@code to} (I_SENDFD / I_RECVFD):
     * RETURNED with the new descriptor in {@code to}, or an errno.
     */
    CallResult sendfd(String proc, int fd, String to) throws ScenarioException;

    /** Timer {@code timer} of {@code proc} expires once: null, or an errno result. */
    CallResult timerExpire(String proc, int timer) throws ScenarioException;

    /** Ends the run: threads still inside a call are abandoned. */
    @Override
    void close();
}
