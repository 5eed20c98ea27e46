package eventports.sources;

import eventports.kernel.Errno;
import static eventports.sources.Errnos.errno;
import eventports.kernel.GetnResult;
import eventports.kernel.Limits;
import eventports.kernel.Port;
import eventports.kernel.PortEvent;
import eventports.kernel.PortException;
import eventports.kernel.PortSystem;
import eventports.kernel.Ports;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.kernel.Timeout;
import eventports.sched.DetSched;
import eventports.sched.RealSched;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PORT_SOURCE_AIO: AsynchronousFileChannel completions as port events (real threads, bounded waits). */
class AioSourceTest {
    private static final Timeout WAIT = Timeout.ofMillis(10_000);

    @TempDir
    Path dir;

    private final PortSystem sys = new PortSystem(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS.withPortMaxEvents(2),
            new RealSched(), null);
    private final Proc p = sys.spawn();

    /** Wait (bounded) until {@code n} events are queued. */
    private static void awaitQueued(Proc p, int port, int n) throws Exception {
        for (int i = 0; i < 10_000; i++) {
            GetnResult r = p.portGetn(port, 0, 0, null);
            if (r.nget() >= n) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no completion within the bound");
    }

    @Test
    void writeThenReadCompleteThroughThePort() throws Exception {
        int port = p.portCreate();
        Path f = dir.resolve("data");
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(f, StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            AioSource.Aiocb w = AioSource.aioWrite(p, port, ch, ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)),
                    0, "w");
            assertEquals(AioSource.Aiocb.EINPROGRESS, w.aioError(), "the result is copied out at delivery");
            PortEvent e = p.portGet(port, WAIT);
            assertEquals(new PortEvent(AioSource.AIOAWRITE, Ports.PORT_SOURCE_AIO, w.object(), "w"), e);
            assertEquals(0, w.aioError());
            assertEquals(5, w.aioReturn());

            ByteBuffer buf = ByteBuffer.allocate(16);
            AioSource.Aiocb r = AioSource.aioRead(p, port, ch, buf, 1, "r");
            assertEquals(new PortEvent(AioSource.AIOAREAD, Ports.PORT_SOURCE_AIO, r.object(), "r"), p.portGet(port, WAIT));
            assertEquals(4, r.aioReturn());
            assertEquals("ello", new String(buf.array(), 0, 4, StandardCharsets.US_ASCII));
        }
        assertEquals(0, ((Port) p.file(port).vnode()).curr(), "delivered DEFAULT slots are freed");
    }

    @Test
    void ownerOnlyDelivery() throws Exception {
        int port = p.portCreate();
        Proc child = p.fork();
        Files.writeString(dir.resolve("x"), "abc");
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(dir.resolve("x"), StandardOpenOption.READ)) {
            AioSource.Aiocb r = AioSource.aioRead(p, port, ch, ByteBuffer.allocate(8), 0, "mine");
            awaitQueued(p, port, 1);
            assertEquals(0, child.portGetn(port, 4, 1, Timeout.POLL).nget(), "denied to the other process");
            assertEquals(AioSource.Aiocb.EINPROGRESS, r.aioError());
            assertEquals("mine", p.portGet(port, Timeout.POLL).user());
            assertEquals(3, r.aioReturn());
        }
    }

    @Test
    void submissionErrors() throws Exception {
        int port = p.portCreate();
        int fd = p.fdOpen();
        Path f = dir.resolve("ro");
        Files.writeString(f, "abc");
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4);
            assertEquals(Errno.EINVAL, errno(() -> AioSource.aioRead(p, 42, ch, b, 0, 0)), "port not open");
            assertEquals(Errno.EINVAL, errno(() -> AioSource.aioRead(p, fd, ch, b, 0, 0)), "not a port");
            assertEquals(Errno.EINVAL, errno(() -> AioSource.aioRead(p, port, ch, b, -1, 0)));
            assertEquals(Errno.EBADF, errno(() -> AioSource.aioWrite(p, port, ch, b, 0, 0)), "read-only channel");
            assertEquals(0, ((Port) p.file(port).vnode()).curr(), "a refused request keeps no slot");
            p.portSend(port, 1, "a");
            p.portSend(port, 1, "b");
            assertEquals(Errno.EAGAIN, errno(() -> AioSource.aioRead(p, port, ch, b, 0, 0)), "port full");
        }
    }

    @Test
    void closeWaitsForRequestsAndDiscardsTheirEvents() throws Exception {
        int port = p.portCreate();
        Port pp = (Port) p.file(port).vnode();
        Proc child = p.fork();
        Files.writeString(dir.resolve("y"), "abc");
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(dir.resolve("y"), StandardOpenOption.READ)) {
            AioSource.aioRead(p, port, ch, ByteBuffer.allocate(8), 0, "a");
            AioSource.aioRead(p, port, ch, ByteBuffer.allocate(8), 0, "b");
            p.close(port);                       // per-process: the child keeps the port
            // whatever was in progress was waited for; completed events of the closer are gone
            // unless the close found nothing in progress (then they stay, owner-only)
            GetnResult r = child.portGetn(port, 4, 1, Timeout.POLL);
            assertEquals(0, r.nget(), "never delivered to the other process");
            child.close(port);
            assertEquals(0, sys.portCount());
            assertEquals(0, pp.curr());
        }
    }

    /** A channel whose read completes only when the test says so: a request that stays in progress. */
    private static final class HeldChannel extends AsynchronousFileChannel {
        private final CompletableFuture<Runnable> pending = new CompletableFuture<>();

        /** Complete the held read (in the calling thread, as aio_done). */
        void complete() throws Exception {
            pending.get(10, TimeUnit.SECONDS).run();
        }

        @Override
        public <A> void read(ByteBuffer dst, long position, A att, CompletionHandler<Integer, ? super A> handler) {
            pending.complete(() -> handler.completed(0, att));
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public AsynchronousFileChannel truncate(long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void force(boolean metaData) {
        }

        @Override
        public <A> void lock(long position, long size, boolean shared, A att, CompletionHandler<FileLock, ? super A> h) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<FileLock> lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Integer> read(ByteBuffer dst, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <A> void write(ByteBuffer src, long position, A att, CompletionHandler<Integer, ? super A> handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Integer> write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aPerProcessCloseWaitsForTheClosersRequestInProgressAndDiscardsItsCompletion() throws Exception {
        // port_create pre-associates the AIO source (port.c port_init), so the close callback
        // aio_close_port runs: the close waits for the closer's request still in progress and
        // discards its completion, which gives the slot back; without the callback the close
        // returns at once and the completion queues an event nobody may retrieve
        int port = p.portCreate();
        Port pp = (Port) p.file(port).vnode();
        Proc child = p.fork();
        HeldChannel ch = new HeldChannel();
        AioSource.aioRead(p, port, ch, ByteBuffer.allocate(8), 0, "held");
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            try {
                p.close(port);
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "closer");
        closer.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Thread.State st;
        while ((st = closer.getState()) != Thread.State.WAITING && st != Thread.State.TIMED_WAITING
                && st != Thread.State.TERMINATED) {
            assertTrue(System.nanoTime() < until, "the close neither waited nor returned");
            Thread.onSpinWait();
        }
        ch.complete();
        closer.join(10_000);
        assertFalse(closer.isAlive(), "the close returned once the request completed");
        assertNull(failed.get());
        assertEquals(0, pp.curr(), "the closer's completion was discarded and its slot freed");
        child.close(port);
        assertEquals(0, sys.portCount());
    }

    @Test
    void deterministicRuntimeIsRefused() throws Exception {
        DetSched det = new DetSched();
        try {
            Proc q = new PortSystem(Profile.ILLUMOS, det).spawn();
            Files.writeString(dir.resolve("z"), "abc");
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(dir.resolve("z"), StandardOpenOption.READ)) {
                Object r = det.call("T", () -> {
                    int port = q.portCreate();
                    return errno(() -> AioSource.aioRead(q, port, ch, ByteBuffer.allocate(4), 0, 0));
                }, null).value();
                assertEquals(Errno.ENOTSUP, r);
            }
        } finally {
            det.shutdown();
        }
    }

}
