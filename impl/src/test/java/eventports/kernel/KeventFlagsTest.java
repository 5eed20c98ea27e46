package eventports.kernel;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A slot's flags are changed by threads holding different locks (port_copy_event clears DONEQ
 * with none, port_associate_fd clears VALID under portkev_lock): each change must be one atomic
 * step, or one thread's bit is lost under the other's write-back (FINDINGS.md, "Below the
 * model"). Two threads each flip a bit of their own on one slot; neither may ever see its bit
 * other than it left it.
 */
class KeventFlagsTest {
    @Test
    void concurrentBitChangesAreNotLost() throws Exception {
        Kevent k = new Kevent(1);
        k.portkevFlags = Ports.PORT_KEV_WIRED;
        AtomicLong lost = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(2);
        Thread a = flipper(k, Ports.PORT_KEV_DONEQ, lost, start);
        Thread b = flipper(k, Ports.PORT_KEV_VALID, lost, start);
        a.start();
        b.start();
        a.join();
        b.join();
        assertEquals(0, lost.get(), "bit changes lost under the other thread's write-back");
        assertEquals(Ports.PORT_KEV_WIRED, k.portkevFlags, "the untouched bit survives");
    }

    private static Thread flipper(Kevent k, int bit, AtomicLong lost, CyclicBarrier start) {
        return new Thread(() -> {
            try {
                start.await();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            for (int i = 0; i < 10_000_000; i++) {
                k.setFlags(bit);
                if ((flags(k) & bit) == 0) {
                    lost.incrementAndGet();
                }
                k.clearFlags(bit);
                if ((flags(k) & bit) != 0) {
                    lost.incrementAndGet();
                }
            }
        });
    }

    /** A fresh read each time (the fence keeps the JIT from reusing an earlier one): the other thread's write-back is seen. */
    private static int flags(Kevent k) {
        java.lang.invoke.VarHandle.acquireFence();
        return k.portkevFlags;
    }
}
