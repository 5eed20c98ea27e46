package eventports.sched;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LeafLock's discipline (surefire and PIT run with -ea): only its holder exits it, and it excludes. */
class LeafLockTest {
    @Test
    void anExitWithoutTheEnterIsAnError() {
        LeafLock l = new LeafLock("l");
        AssertionError e = assertThrows(AssertionError.class, l::exit);
        assertTrue(e.getMessage().contains("lock l"), e.getMessage());
        l.enter();
        assertTrue(l.held());
        l.exit();
        assertFalse(l.held());
        assertThrows(AssertionError.class, l::exit, "a second exit");
    }

    @Test
    void anotherThreadCannotExitTheHoldersLock() throws Exception {
        LeafLock l = new LeafLock("l");
        l.enter();
        AtomicReference<Throwable> got = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                l.exit();
            } catch (Throwable e) {
                got.set(e);
            }
        });
        t.start();
        t.join();
        assertTrue(got.get() instanceof AssertionError, "exit by a non-holder: " + got.get());
        assertTrue(l.held(), "the holder still holds it");
        l.exit();
    }

    @Test
    void enteringAHeldLockAgainIsAnError() {
        LeafLock l = new LeafLock("l");
        l.enter();
        assertThrows(IllegalStateException.class, l::enter);
        l.exit();
    }

    /** Two threads, each adding to a plain counter under the lock: no update is lost, no exit refused. */
    @Test
    void itExcludesUnderContention() throws Exception {
        LeafLock l = new LeafLock("l");
        int[] counter = {0};
        int rounds = 200_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable add = () -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    l.enter();
                    counter[0]++;
                    l.exit();
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        Thread a = new Thread(add);
        Thread b = new Thread(add);
        a.start();
        b.start();
        a.join();
        b.join();
        assertNull(failure.get());
        l.enter();
        assertEquals(2 * rounds, counter[0]);
        l.exit();
    }
}
