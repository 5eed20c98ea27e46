package eventports.bench;

import eventports.kernel.PortException;
import eventports.kernel.Proc;
import eventports.kernel.SendnResult;
import eventports.kernel.Timeout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One event to each of N ports, single-threaded. {@code sendn}: one port_sendn call with the
 * list of N ports. {@code sendLoop}: N port_send calls (what port_sendn replaces).
 * {@code lbq}: N LinkedBlockingQueue.offer calls (what a Java user would write). Every 64th
 * operation each variant empties its N queues (port_getn max 64 / drainTo 64), so the queues
 * stay short; that cost is part of every variant's score alike.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class Sendn {
    static final Object ITEM = "e";

    @Param({"1", "16", "256"})
    public int ports;

    Proc proc;
    int[] fds;
    LinkedBlockingQueue<Object>[] queues;
    final ArrayList<Object> sink = new ArrayList<>(Ports4Bench.BATCH);
    int ops;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setup() throws PortException {
        proc = Ports4Bench.newProc("off");
        fds = new int[ports];
        queues = new LinkedBlockingQueue[ports];
        for (int i = 0; i < ports; i++) {
            fds[i] = proc.portCreate();
            queues[i] = new LinkedBlockingQueue<>(Ports4Bench.CAPACITY);
        }
    }

    private void drainPorts() throws PortException {
        if (++ops % Ports4Bench.BATCH == 0) {
            for (int fd : fds) {
                proc.portGetn(fd, Ports4Bench.BATCH, 1, Timeout.POLL);
            }
        }
    }

    @Benchmark
    public int sendn() throws PortException {
        SendnResult r = proc.portSendn(fds, 1, ITEM);
        drainPorts();
        return r.count();
    }

    @Benchmark
    public int sendLoop() throws PortException {
        for (int fd : fds) {
            proc.portSend(fd, 1, ITEM);
        }
        drainPorts();
        return fds.length;
    }

    @Benchmark
    public int lbq() {
        int n = 0;
        for (LinkedBlockingQueue<Object> q : queues) {
            if (q.offer(ITEM)) {
                n++;
            }
        }
        if (++ops % Ports4Bench.BATCH == 0) {
            for (LinkedBlockingQueue<Object> q : queues) {
                sink.clear();
                q.drainTo(sink, Ports4Bench.BATCH);
            }
        }
        return n;
    }
}
