package eventports.examples;

import eventports.kernel.Errno;
import eventports.kernel.GetnResult;
import eventports.kernel.PollEvents;
import eventports.kernel.PortEvent;
import eventports.kernel.PortException;
import eventports.kernel.PortSystem;
import eventports.kernel.Ports;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.sched.RealSched;
import eventports.sources.NioChannels;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/*
 * An echo server whose event loop is an event port, written the way libuv drives ports
 * (libuv src/unix/sunos.c):
 * - every descriptor is associated with PORT_SOURCE_FD for what it waits for;
 * - one port_getn(max 64, nget 1) per turn collects a batch;
 * - associations are one-shot, so each handled descriptor that is still wanted goes on a
 *   watcher queue, and the queue is drained with port_associate at the top of the next turn
 *   (after the callback consumed the data, so a level-triggered re-poll does not fire again);
 * - a descriptor that is closed needs no dissociation: close(2) does it.
 * A connection waits for POLLIN while it has nothing to send back and for POLLOUT while it
 * has, so a slow reader is not flooded. stop() wakes the loop with a PORT_SOURCE_USER event.
 */

/** A TCP echo server on 127.0.0.1 whose event loop is an event port. */
public final class EchoServer implements AutoCloseable {
    private static final int BATCH = 64;
    private static final Object STOP = "stop";

    private final PortSystem sys = new PortSystem(Profile.ILLUMOS, new RealSched());
    private final Proc proc = sys.spawn();
    private final ServerSocketChannel server;
    private final int port;
    private final int listenFd;
    private final Map<Integer, Connection> connections = new HashMap<>();
    /** libuv's watcher_queue: descriptors to re-associate at the top of the next turn. */
    private final List<Integer> watcherQueue = new ArrayList<>();
    private final Thread loop;
    private volatile Throwable failure;
    private volatile long accepted;

    /** One client: its descriptor, its channel, and what is still to be echoed. */
    private static final class Connection {
        final int fd;
        final SocketChannel channel;
        final ByteBuffer buf = ByteBuffer.allocate(16 * 1024);  // write mode: filled by reads

        Connection(int fd, SocketChannel channel) {
            this.fd = fd;
            this.channel = channel;
        }

        boolean pendingOutput() {
            return buf.position() > 0;
        }
    }

    /** Bind to {@code 127.0.0.1:tcpPort} (0: any free port) and start the loop thread. */
    public EchoServer(int tcpPort) throws IOException, PortException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort), 128);
        port = proc.portCreate();
        listenFd = NioChannels.fdOpen(proc, server);
        watcherQueue.add(listenFd);
        loop = new Thread(this::run, "echo-loop");
        loop.start();
    }

    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    /** Connections accepted so far. */
    public long accepted() {
        return accepted;
    }

    /** Why the loop ended, if it ended on an error. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            for (;;) {
                for (int fd : watcherQueue) {
                    arm(fd);
                }
                watcherQueue.clear();
                List<PortEvent> batch;
                try {
                    GetnResult r = proc.portGetn(port, BATCH, 1, null);
                    batch = r.events();
                } catch (PortException e) {
                    if (e.errno() != Errno.EINTR && e.errno() != Errno.ETIME) {
                        throw e;
                    }
                    batch = e.events();                  // port_getn may return events with an error
                }
                for (PortEvent ev : batch) {
                    if (ev.source() == Ports.PORT_SOURCE_USER && STOP.equals(ev.user())) {
                        return;
                    }
                    if (ev.object() == listenFd) {
                        acceptAll();
                        watcherQueue.add(listenFd);
                    } else {
                        serve((int) ev.object(), ev.events());
                    }
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            shutdown();
        }
    }

    /** Associate {@code fd} for what it waits for now. */
    private void arm(int fd) throws PortException {
        int events = PollEvents.POLLIN;
        Connection c = connections.get(fd);
        if (c != null && c.pendingOutput()) {
            events = PollEvents.POLLOUT;
        }
        proc.portAssociate(port, Ports.PORT_SOURCE_FD, fd, events, null);
    }

    private void acceptAll() throws IOException, PortException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            int fd = NioChannels.fdOpen(proc, ch);
            connections.put(fd, new Connection(fd, ch));
            watcherQueue.add(fd);
            accepted++;
        }
    }

    /** Read what there is, echo what can be written; close on end of stream or error. */
    private void serve(int fd, int events) throws PortException {
        Connection c = connections.get(fd);
        if (c == null) {
            return;                                      // closed earlier in this batch
        }
        try {
            if (!c.pendingOutput()) {
                int n = c.channel.read(c.buf);
                if (n < 0) {
                    drop(c);
                    return;
                }
            }
            c.buf.flip();
            c.channel.write(c.buf);
            c.buf.compact();
            watcherQueue.add(fd);
        } catch (IOException e) {
            drop(c);
        }
    }

    private void drop(Connection c) throws PortException {
        connections.remove(c.fd);
        proc.close(c.fd);                                // close(2) dissociates and closes the channel
    }

    private void shutdown() {
        for (Connection c : new ArrayList<>(connections.values())) {
            try {
                drop(c);
            } catch (PortException e) {
                // already closed
            }
        }
        try {
            proc.close(listenFd);
            proc.close(port);
        } catch (PortException e) {
            // already closed
        }
        NioChannels.shutdown(sys);
    }

    /** Stop the loop (a PORT_SOURCE_USER event) and wait for it. */
    @Override
    public void close() throws InterruptedException {
        try {
            proc.portSend(port, 0, STOP);
        } catch (PortException e) {
            // the loop has already ended and closed the port
        }
        loop.join(30_000);
    }

    /** {@code EchoServer [port]}: serve on 127.0.0.1 until killed. */
    public static void main(String[] args) throws Exception {
        EchoServer s = new EchoServer(args.length > 0 ? Integer.parseInt(args[0]) : 7007);
        System.out.println("echo server on " + s.address() + " (event loop: an event port)");
        s.loop.join();
        if (s.failure() != null) {
            s.failure().printStackTrace();
            System.exit(1);
        }
    }
}
