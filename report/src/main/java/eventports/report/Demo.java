package eventports.report;

import eventports.kernel.PortSystem;
import eventports.kernel.Ports;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.kernel.Limits;
import eventports.kernel.Timeout;
import eventports.sched.DetSched;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * Writes a sample report so its look can be inspected without running a check:
 * {@code java -cp ... eventports.report.Demo [DIR]} (default target/report-demo).
 *
 * <p>The interleavings are real where they can be: the port.c:1720 race and a busy port are
 * run on the core under the deterministic scheduler and drawn from their trace records; the
 * same race is also drawn by hand with the full port state, as a TLC counterexample or a
 * minimal program would give it. Summary rows, model-checking figures and timings are
 * made-up sample data, and the report says so.
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/report-demo");
        System.out.println(ReportWriter.write(sample(), dir).toAbsolutePath());
    }

    public static Report sample() {
        List<Interleaving> il = List.of(
                crashByHand(),
                TraceSteps.interleaving("port.c:1720 crash, as the core traces it", "illumos",
                        Interleaving.Kind.FAILING_PROGRAM,
                        "SeedCrash 1720: the program's call of close(2) panics the seed; the record marked crash is the last.",
                        crashRace(), List.of()),
                TraceSteps.interleaving("busy port: four waiters, a retriever, an alert, a last close", "corrected",
                        Interleaving.Kind.TRACE, "", busyPort(), List.of()));
        Random rnd = new Random(6);
        return new Report("eventports check (sample data)", Instant.parse("2025-01-01T12:00:00Z"),
                List.of("Sample report written by eventports.report.Demo: the counts, times and model-checking "
                        + "figures are made up; the interleavings are real runs of the core."),
                List.of(new SummaryRow("model checking", "EventPort small, corrected", Verdict.PASS, "3 models", 41.3),
                        new SummaryRow("model checking", "EventPort small, illumos", Verdict.EXPECTED,
                                "3 models, 2 known findings", 37.9),
                        new SummaryRow("conformance", "corpus, both profiles", Verdict.PASS, "212 scenarios", 6.4),
                        new SummaryRow("trace validation", "corpus runs", Verdict.PASS, "212 traces, 9,311 records", 11.0),
                        new SummaryRow("random programs", "QuickTheories, illumos", Verdict.EXPECTED,
                                "500 programs, 1 known finding (port.c:1720)", 22.5)),
                List.of(new ModelCheckStat("ring", "corrected", 182_334, 40_112, 31, 9.8, Verdict.PASS, ""),
                        new ModelCheckStat("close", "corrected", 1_204_551, 233_870, 44, 28.4, Verdict.PASS, ""),
                        new ModelCheckStat("close", "illumos", 90_210, 21_877, 17, 3.1, Verdict.EXPECTED, "NoNullHeadWaiter"),
                        new ModelCheckStat("alert", "illumos", 55_020, 12_640, 21, 2.2, Verdict.EXPECTED, "CloserWakes")),
                List.of(series(rnd, "conformance scenario, illumos", 212, 9, 4),
                        series(rnd, "conformance scenario, corrected", 212, 8, 3),
                        series(rnd, "trace validation per trace", 212, 22, 9),
                        series(rnd, "random program", 120, 35, 15)),
                il);
    }

    /** Right-skewed made-up durations (ms): a log-normal around {@code median}. */
    private static TimingSeries series(Random rnd, String name, int n, double median, double spread) {
        List<Double> l = new ArrayList<>(n);
        double sigma = Math.log1p(spread / median);
        for (int i = 0; i < n; i++) {
            l.add(Math.round(median * Math.exp(sigma * rnd.nextGaussian()) * 100) / 100.0);
        }
        return new TimingSeries(name, "ms", l);
    }

    /**
     * The race of FINDINGS.md by hand: T1 waits in port_getn for two events, T0 sends one,
     * T2 takes it and is paused in delivery, T0 last-closes, T1 wakes with EBADFD, leaves the
     * ring empty, and port_check_return_cond signals the head waiter that is not there.
     */
    static Interleaving crashByHand() {
        List<String> none = List.of();
        List<String> e1 = List.of("e1");
        List<Step> s = List.of(
                Step.of("T0", 1, "port_create", "fd 3", st(none, none, none, none, 0, 0, 0)),
                Step.of("T1", 1, "port_getn", "max 2 nget 2: too few events, wait", st(none, none, none, none, 0, 1, 0)),
                Step.of("T1", 1, "port_queue_thread", "nget 2", st(none, none, List.of("T1"), none, 0, 1, 0)),
                Step.of("T1", 1, "cv_waituntil_sig", "sleeps on portget_cv", st(none, none, List.of("T1"), none, 0, 1, 0))
                        .sleeping(),
                Step.of("T0", 1, "port_send_event", "e1 (1 < nget 2: no wake-up)", st(e1, none, List.of("T1"), none, 1, 1, 0)),
                Step.of("T2", 1, "port_getn", "port_get, poll", st(e1, none, List.of("T1"), none, 1, 2, 0)),
                Step.of("T2", 1, "port_block", "getn 1: the temp list is T2's", st(e1, none, List.of("T1"),
                        List.of("BLOCKED"), 1, 2, 1)),
                Step.of("T2", 1, "portnowait", "takes e1 to its temp list; paused in delivery", st(none, e1,
                        List.of("T1"), List.of("BLOCKED", "WAIT_EVENTS"), 0, 2, 1)),
                Step.of("T0", 1, "port_close", "last close: PORTQ_CLOSE", st(none, e1, List.of("T1"),
                        List.of("CLOSE", "BLOCKED", "WAIT_EVENTS"), 0, 2, 1)).waking("T1"),
                Step.of("T0", 1, "port_close", "thrcnt 2 > 0: sleeps on closecv", st(none, e1, List.of("T1"),
                        List.of("CLOSE", "BLOCKED", "WAIT_EVENTS"), 0, 2, 1)).sleeping(),
                Step.of("T1", 1, "cv_waituntil_sig", "woken: port closing → EBADFD", st(none, e1, List.of("T1"),
                        List.of("CLOSE", "BLOCKED", "WAIT_EVENTS"), 0, 2, 1)).returning(),
                Step.of("T1", 1, "port_dequeue_thread", "ring now empty", st(none, e1, none,
                        List.of("CLOSE", "BLOCKED", "WAIT_EVENTS"), 0, 2, 1)),
                Step.of("T1", 1, "port_check_return_cond", "thrcnt 1, ring empty: cv_signal(NULL) at port.c:1720",
                        st(none, e1, none, List.of("CLOSE", "BLOCKED", "WAIT_EVENTS"), 0, 1, 1)).highlighted());
        return new Interleaving("port.c:1720 crash: a waiter leaves a closing port with an empty ring", "illumos",
                Interleaving.Kind.FAILING_PROGRAM,
                "Hand-made from FINDINGS.md: the last close wakes the only waiter while a retriever is still in "
                        + "delivery; the waiter's port_check_return_cond dereferences portq_thread == NULL.", s);
    }

    private static PortState st(List<String> queue, List<String> temp, List<String> ring, List<String> flags,
                                int nent, int thrcnt, int getn) {
        return new PortState(queue, temp, ring, flags, nent, thrcnt, getn);
    }

    /** W waits for two events, S sends one, R takes it and pauses in delivery, S last-closes. */
    static List<TraceRecord> crashRace() {
        // portfs on its own: with the descriptor layer the close evicts T1 first and nothing races
        return run(Profile.ILLUMOS, eventports.kernel.Layer.PORTFS, (d, p) -> {
            int fd = (int) d.now("T0", p::portCreate);
            d.start("T1", () -> p.portGetn(fd, 2, 2, null));
            d.now("T0", () -> send(p, fd, "x"));
            d.sched.call("T2", () -> p.portGet(fd, Timeout.POLL), "delivery");
            d.start("T0", () -> close(p, fd));
            d.settle();
        });
    }

    /**
     * Four waiters with different counts on the ring, a sender, a poller paused in delivery,
     * an alert that wakes everyone, and a last close: six threads, a few dozen steps.
     */
    static List<TraceRecord> busyPort() {
        return run(Profile.CORRECTED, (d, p) -> {
            int fd = (int) d.now("S", p::portCreate);
            d.start("W1", () -> p.portGetn(fd, 4, 2, null));
            d.start("W2", () -> p.portGetn(fd, 4, 1, null));
            d.start("W3", () -> p.portGetn(fd, 4, 3, null));
            d.now("S", () -> send(p, fd, "a"));
            d.settle();
            d.start("W2", () -> p.portGetn(fd, 4, 1, null));
            d.now("S", () -> send(p, fd, "b"));
            d.sched.call("R", () -> p.portGet(fd, Timeout.POLL), "delivery");
            d.now("S", () -> send(p, fd, "c"));
            d.now("S", () -> send(p, fd, "d"));
            d.settle();
            d.start("W4", () -> p.portGetn(fd, 4, 1, null));
            d.now("S", () -> {
                p.portAlert(fd, Ports.PORT_ALERT_SET, 1, "stop");
                return 0;
            });
            d.settle();
            d.start("W1", () -> p.portGetn(fd, 4, 2, Timeout.ofMillis(50)));
            d.now("S", () -> {
                p.portAlert(fd, Ports.PORT_ALERT_SET, 0, null);
                return 0;
            });
            d.start("W3", () -> p.portGetn(fd, 4, 3, null));
            d.start("S", () -> close(p, fd));
            d.settle();
        });
    }

    private static Object send(Proc p, int fd, String user) throws Exception {
        p.portSend(fd, 1, user);
        return 0;
    }

    private static Object close(Proc p, int fd) throws Exception {
        p.close(fd);
        return 0;
    }

    private interface Script {
        void run(Driver d, Proc p) throws Exception;
    }

    /** Runs {@code script} as process 1 on the deterministic scheduler and returns its trace. */
    private static List<TraceRecord> run(Profile profile, Script script) {
        return run(profile, eventports.kernel.Layer.DESCRIPTORS, script);
    }

    private static List<TraceRecord> run(Profile profile, eventports.kernel.Layer layer, Script script) {
        Driver d = new Driver();
        PortSystem sys = new PortSystem(profile, layer, Limits.ILLUMOS_DEFAULTS, d.sched, d.sink);
        try {
            script.run(d, sys.spawn());
        } catch (Exception e) {
            throw new IllegalStateException("demo scenario failed", e);
        } finally {
            d.sched.shutdown();
        }
        return d.sink.records();
    }

    /** The few driver moves the scripts need; an expected failure (EBADFD, a seed crash) is part of the story. */
    private static final class Driver {
        final DetSched sched = new DetSched();
        final MemorySink sink = new MemorySink();

        Object now(String thread, Callable<?> body) throws Exception {
            DetSched.Outcome o = sched.call(thread, body, null);
            if (!o.returned() || o.error() != null) {
                throw new IllegalStateException(thread + ": " + o, o.error());
            }
            return o.value();
        }

        void start(String thread, Callable<?> body) {
            sched.call(thread, body, null);
        }

        /** Lets every thread that can continue do so, until none can. */
        void settle() {
            boolean moved = true;
            while (moved) {
                moved = false;
                for (DetSched.SimThread t : sched.threads()) {
                    if (t.runnable()) {
                        sched.await(t.name());
                        moved = true;
                    }
                }
            }
        }
    }
}
