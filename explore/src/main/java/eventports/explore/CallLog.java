package eventports.explore;

import eventports.conformance.CallResult;

/**
 * One call of a run, from the step that started it to the step it ended in: the program call
 * with the user value the driver gave it, the observations at its start and end, whether a
 * signal reached it, and how it ended. The driver fills it in as the run goes.
 */
public final class CallLog {
    /** Logical thread (program thread name, or "drain-P1" for the drain). */
    public final String actor;
    public final String proc;
    /** The simulated thread that runs it: the actor, or "P2#exit" for an exit. */
    public final String simThread;
    /** Position of the call in its thread's list. */
    public final int index;
    public final Program.Call call;
    /** The user value of the events or alert it makes ("T1.0"). */
    public final String user;
    public final boolean paused;
    public final boolean drain;
    /** 1-based step numbers. */
    public final int startStep;
    public int endStep = -1;
    public Obs startObs;
    public Obs endObs;
    public CallResult result;
    /** A signal reached the call while it was blocked or paused. */
    public boolean interrupted;

    CallLog(String actor, String proc, String simThread, int index, Program.Call call, String user, boolean paused,
            boolean drain, int startStep) {
        this.actor = actor;
        this.proc = proc;
        this.simThread = simThread;
        this.index = index;
        this.call = call;
        this.user = user;
        this.paused = paused;
        this.drain = drain;
        this.startStep = startStep;
    }

    public boolean done() {
        return endStep > 0;
    }

    @Override
    public String toString() {
        return actor + "[" + index + "] " + call + (done() ? " -> " + result : " (in progress)");
    }
}
