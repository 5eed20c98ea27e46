package eventports.bench;

import eventports.kernel.Errno;
import eventports.kernel.Limits;
import eventports.kernel.PortEvents;
import eventports.kernel.PortException;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.sched.RealSched;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The throughput benchmark's workload with tracing on (issue 16, "the rule"): P producers
 * port_send, P consumers port_getn into their own list (max 64, nget 1, 20 ms timeout), on
 * real threads, on the core the benchmarks measure, every step recorded into a MemorySink.
 * The caller hands the records to TLC ({@code ./eventports bench --traced N}): the run is a
 * behaviour of the spec, so the changes made for speed kept the protocol's steps.
 */
public final class TracedRun {
    /** What a run did. */
    public record Outcome(Profile profile, int threads, int sent, int received, List<TraceRecord> records) {
    }

    private TracedRun() {
    }

    /** Run until {@code events} events have been sent and received; records in sequence order. */
    public static Outcome run(Profile profile, int threads, int events) throws InterruptedException {
        MemorySink sink = new MemorySink();
        Proc proc = new PortSystem(profile, Limits.ILLUMOS_DEFAULTS, new RealSched(), sink).spawn();
        int port;
        try {
            port = proc.portCreate();
        } catch (PortException e) {
            throw new IllegalStateException("port_create: " + e.errno(), e);
        }
        AtomicInteger toSend = new AtomicInteger(events);
        LongAdder received = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            all.add(new Thread(() -> {
                try {
                    while (toSend.getAndDecrement() > 0) {
                        proc.portSend(port, 1, Throughput.ITEM);
                    }
                } catch (PortException e) {
                    failure.compareAndSet(null, e);
                }
            }, "producer-" + i));
            all.add(new Thread(() -> {
                PortEvents list = new PortEvents(Ports4Bench.BATCH);
                try {
                    while (received.sum() < events && failure.get() == null) {
                        try {
                            received.add(proc.portGetn(port, list, Ports4Bench.BATCH, 1, Throughput.WAIT));
                        } catch (PortException e) {
                            if (e.errno() != Errno.ETIME) {
                                throw e;
                            }
                            received.add(e.nget());
                        }
                    }
                } catch (PortException e) {
                    failure.compareAndSet(null, e);
                }
            }, "consumer-" + i));
        }
        for (Thread t : all) {
            t.start();
        }
        for (Thread t : all) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("traced run failed: " + failure.get(), failure.get());
        }
        if (proc.sys().traceFailure() != null) {
            throw new IllegalStateException("the trace sink failed: " + proc.sys().traceFailure());
        }
        return new Outcome(profile, threads, events, (int) received.sum(), sink.records());
    }
}
