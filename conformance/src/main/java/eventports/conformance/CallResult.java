package eventports.conformance;

import eventports.kernel.PortEvent;

import java.util.Arrays;
import java.util.List;

/** How a step ended, in the terms FORMAT.md expectations use. */
public record CallResult(Kind kind, long ret, String errno, Integer nget, List<PortEvent> events, int[] errors,
                  boolean errorsWritten, String message) {

    public enum Kind { RETURNED, ERRNO, BLOCKED, PAUSED, PANIC, BROKEN }

    static CallResult returned(long ret, Integer nget, List<PortEvent> events) {
        return new CallResult(Kind.RETURNED, ret, null, nget, events, null, false, null);
    }

    static CallResult sendn(int count, int[] errors) {
        return new CallResult(Kind.RETURNED, count, null, null, null, errors, true, null);
    }

    static CallResult errno(String errno, Integer nget, List<PortEvent> events) {
        return new CallResult(Kind.ERRNO, -1, errno, nget, events, null, false, null);
    }

    static CallResult blocked() {
        return new CallResult(Kind.BLOCKED, 0, null, null, null, null, false, null);
    }

    static CallResult paused() {
        return new CallResult(Kind.PAUSED, 0, null, null, null, null, false, null);
    }

    static CallResult panic(String message) {
        return new CallResult(Kind.PANIC, 0, null, null, null, null, false, message);
    }

    /** Not a result of the protocol: an unsupported op, an unchecked exception, a runtime fault. */
    static CallResult broken(String message) {
        return new CallResult(Kind.BROKEN, 0, null, null, null, null, false, message);
    }

    @Override
    public String toString() {
        switch (kind) {
            case BLOCKED: return "blocks";
            case PAUSED: return "paused";
            case PANIC: return "panic (" + message + ")";
            case BROKEN: return message;
            default:
                StringBuilder b = new StringBuilder(kind == Kind.ERRNO ? "errno " + errno : "ret " + ret);
                if (nget != null) {
                    b.append(", nget ").append(nget);
                }
                if (events != null) {
                    b.append(", events ").append(events);
                }
                if (errorsWritten) {
                    b.append(", errors ").append(errors == null ? "null" : Arrays.toString(errors));
                }
                return b.toString();
        }
    }
}
