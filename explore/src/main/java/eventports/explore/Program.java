package eventports.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A random program, as data: process P1 creates one or two ports (A, B) and maybe a descriptor
 * that is not a port (port_fd.c); the other processes are forks of P1, made at the start or when the
 * driver has taken {@code forkAt} steps; every thread makes its calls in order. The
 * {@code schedule} is the list of the driver's choices (see {@link Schedule#of}): which idle
 * thread starts its next call, which woken thread runs, when time advances, whom a signal
 * reaches. Shrinking reduces both.
 */
public record Program(int ports, boolean nonPort, int maxEvents, int maxList, List<ProcSpec> procs,
                      List<Integer> schedule) {

    public Program {
        procs = List.copyOf(procs);
        schedule = List.copyOf(schedule);
    }

    /** A process: P1 ({@code forkAt < 0}) or a fork of P1 made after {@code forkAt} driver steps. */
    public record ProcSpec(String name, int forkAt, List<ThreadSpec> threads) {
        public ProcSpec {
            threads = List.copyOf(threads);
        }
    }

    /** A thread of a process and the calls it makes, in order. */
    public record ThreadSpec(String name, List<Call> calls) {
        public ThreadSpec {
            calls = List.copyOf(calls);
        }
    }

    /** A descriptor a call names: the ports A and B, the non-port F, or a number never allocated. */
    public enum Ref {
        A, B, F, BAD;

        /** The scenario's name for it (FORMAT.md). */
        String json() {
            return this == BAD ? "bad:999" : name();
        }
    }

    /** The timeouts a retrieval may pass (FORMAT.md {@code timeout}). */
    public enum To {
        NULL(-1, 0), ZERO(0, 0), SHORT(0, 5_000_000L), LONG(1, 0), BAD_NSEC(0, 1_000_000_000L), NEG(-1, 0);

        final long sec;
        final long nsec;

        To(long sec, long nsec) {
            this.sec = sec;
            this.nsec = nsec;
        }

        boolean isNull() {
            return this == NULL;
        }

        boolean zero() {
            return this == ZERO;
        }

        boolean invalid() {
            return this == BAD_NSEC || this == NEG;
        }

        boolean positive() {
            return this == SHORT || this == LONG;
        }

        long nanos() {
            return sec * 1_000_000_000L + nsec;
        }
    }

    /** One call of a thread. */
    public sealed interface Call permits Send, Sendn, Dispatch, Alert, Get, Getn, Close, Exit, Associate, Dissociate {
        /** The descriptors it names (for simplification and resolution). */
        default List<Ref> refs() {
            return List.of();
        }

        /** The same call with its descriptors replaced by {@code f}. */
        Call mapRefs(java.util.function.UnaryOperator<Ref> f);
    }

    public record Send(Ref port, int events) implements Call {
        public List<Ref> refs() {
            return List.of(port);
        }

        public Call mapRefs(java.util.function.UnaryOperator<Ref> f) {
            return new Send(f.apply(port), events);
        }

        @Override
        public String toString() {
            return "send(" + port + ")";
        }
    }

    public record Sendn(List<Ref> ports, int events) implements Call {
        public Sendn {
            ports = List.copyOf(ports);
        }

        public List<Ref> refs() {
            return ports;
        }

        public Call mapRefs(java.util.function.UnaryOperator<Ref> f) {
            return new Sendn(ports.stream().map(f).collect(Collectors.toList()), events);
        }

        @Override
        public String toString() {
            return "sendn(" + ports.stream().map(Ref::name).collect(Collectors.joining(",")) + ")";
        }
    }

    /** port_dispatch: {@code source} AIO (1) or MQ (6) is valid; anything else is EINVAL. */
    public record Dispatch(Ref port, int source, boolean noshare, int events) implements Call {
        public List<Ref> refs() {
            return List.of(port);
        }

        public Call mapRefs(java.util.function.UnaryOperator<Ref> f) {
            return new Dispatch(f.apply(port), source, noshare, events);
        }

        @Override
        public String toString() {
            return "dispatch(" + port + ",src=" + source + (noshare ? ",noshare" : "") + ")";
        }
    }

    /** port_alert: flags 1 SET, 2 UPDATE, 0 or 3 (invalid with events != 0); events 0 clears. */
    public record Alert(Ref port, int flags, int events) implements Call {
        public List<Ref> refs() {
            return List.of(port);
        }

        public Call mapRefs(java.util.function.UnaryOperator<Ref> f) {
            return new Alert(f.apply(port), flags, events);
        }

        @Override
        public String toString() {
            return "alert(" + port + ",flags=" + flags + ",events=" + events + ")";
        }
    }

    public record Get(Ref port, To timeout) implements Call {
        public List<Ref> refs() {
            return List.of(port);
        }

        public Call mapRefs(java.util.function.UnaryOperator<Ref> f) {
            return new Get(f.apply(port), timeout);
        }

        @Override
        public String toString() {
            return "get(" + port + "," + timeout + ")";
        }
    }

    public record Getn(Ref port, int max, int nget, To timeout) implements Call {
        public List<Ref> refs() {
            return List.of(port);
        }

        public Call mapRefs(java.util.function.UnaryOperator<Ref> f) {
            return new Getn(f.apply(port), max, nget, timeout);
        }

        @Override
        public String toString() {
            return "getn(" + port + ",max=" + max + ",nget=" + nget + "," + timeout + ")";
        }
    }

    public record Close(Ref fd) implements Call {
        public List<Ref> refs() {
            return List.of(fd);
        }

        public Call mapRefs(java.util.function.UnaryOperator<Ref> f) {
            return new Close(f.apply(fd));
        }

        @Override
        public String toString() {
            return "close(" + fd + ")";
        }
    }

    /**
     * port_associate with a source other than FD / FILE (those sources are not in the core yet):
     * EINVAL on a port, EBADF / EBADFD on other descriptors.
     */
    public record Associate(Ref port, int source) implements Call {
        public List<Ref> refs() {
            return List.of(port);
        }

        public Call mapRefs(java.util.function.UnaryOperator<Ref> f) {
            return new Associate(f.apply(port), source);
        }

        @Override
        public String toString() {
            return "associate(" + port + ",src=" + source + ")";
        }
    }

    /** port_dissociate with a source other than FD / FILE: EINVAL on a port. */
    public record Dissociate(Ref port, int source) implements Call {
        public List<Ref> refs() {
            return List.of(port);
        }

        public Call mapRefs(java.util.function.UnaryOperator<Ref> f) {
            return new Dissociate(f.apply(port), source);
        }

        @Override
        public String toString() {
            return "dissociate(" + port + ",src=" + source + ")";
        }
    }

    /** exit(2) of the calling thread's process (run by the FORMAT.md exit step). */
    public record Exit() implements Call {
        public Call mapRefs(java.util.function.UnaryOperator<Ref> f) {
            return this;
        }

        @Override
        public String toString() {
            return "exit";
        }
    }

    // ---- derived views --------------------------------------------------------------------

    /** A descriptor the program names, mapped to one that exists (B → A without B, F → A without F). */
    public Ref resolve(Ref r) {
        if (r == Ref.B && ports < 2) {
            return Ref.A;
        }
        if (r == Ref.F && !nonPort) {
            return Ref.A;
        }
        return r;
    }

    /** This program with every descriptor resolved and the process/thread names canonical. */
    public Program normalized() {
        List<ProcSpec> ps = new ArrayList<>();
        int t = 1;
        int p = 1;
        for (ProcSpec proc : procs) {
            List<ThreadSpec> ts = new ArrayList<>();
            for (ThreadSpec th : proc.threads()) {
                List<Call> calls = th.calls().stream().map(c -> c.mapRefs(this::resolve)).collect(Collectors.toList());
                ts.add(new ThreadSpec("T" + t++, calls));
            }
            ps.add(new ProcSpec("P" + p, p == 1 ? -1 : Math.max(0, proc.forkAt()), ts));
            p++;
        }
        return new Program(ports, nonPort, maxEvents, maxList, ps, schedule);
    }

    public int threadCount() {
        return procs.stream().mapToInt(p -> p.threads().size()).sum();
    }

    public int callCount() {
        return procs.stream().flatMap(p -> p.threads().stream()).mapToInt(t -> t.calls().size()).sum();
    }

    /** A size measure for shrinking: calls, threads, processes, schedule length. */
    public int size() {
        return callCount() * 4 + threadCount() * 2 + procs.size() * 3 + schedule.size() + (ports - 1) + (nonPort ? 1 : 0)
                + (maxEvents < 65536 ? 1 : 0) + (maxList < 8192 ? 1 : 0);
    }

    public Program withProcs(List<ProcSpec> ps) {
        return new Program(ports, nonPort, maxEvents, maxList, ps, schedule);
    }

    public Program withSchedule(List<Integer> s) {
        return new Program(ports, nonPort, maxEvents, maxList, procs, s);
    }

    public Program withLimits(int ports, boolean nonPort, int maxEvents, int maxList) {
        return new Program(ports, nonPort, maxEvents, maxList, procs, schedule);
    }

    /** One line per process and thread; the schedule last. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("ports=").append(ports).append(nonPort ? " +F" : "");
        if (maxEvents < 65536) {
            b.append(" max_events=").append(maxEvents);
        }
        if (maxList < 8192) {
            b.append(" max_list=").append(maxList);
        }
        for (ProcSpec p : procs) {
            b.append("\n  ").append(p.name()).append(p.forkAt() < 0 ? "" : " (fork at step " + p.forkAt() + ")");
            for (ThreadSpec t : p.threads()) {
                b.append("\n    ").append(t.name()).append(": ").append(
                        t.calls().stream().map(Object::toString).collect(Collectors.joining("; ")));
            }
        }
        b.append("\n  schedule ").append(schedule);
        return b.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

}
