package eventports.sources;

import eventports.kernel.Errno;
import eventports.kernel.PollEvents;
import eventports.kernel.PortEvent;
import eventports.kernel.PortException;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.kernel.Timeout;
import eventports.sched.DetSched;
import eventports.sched.RealSched;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static eventports.kernel.Ports.PORT_SOURCE_FD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** PORT_SOURCE_FD over real NIO pipes and sockets (real threads; bounded waits only). */
class NioChannelsTest {
    private static final Timeout WAIT = Timeout.ofMillis(10_000);
    private final PortSystem sys = new PortSystem(Profile.ILLUMOS, new RealSched());
    private final Proc p = sys.spawn();

    @AfterEach
    void stop() {
        NioChannels.shutdown(sys);
    }

    private PortEvent next(int port) throws PortException {
        return p.portGet(port, WAIT);
    }

    @Test
    void pipeReadabilityIsOneShotAndRearmable() throws Exception {
        int port = p.portCreate();
        Pipe pipe = Pipe.open();
        int rfd = NioChannels.fdOpen(p, pipe.source());
        p.portAssociate(port, PORT_SOURCE_FD, rfd, PollEvents.POLLIN, "r");
        pipe.sink().write(ByteBuffer.wrap(new byte[]{1, 2, 3}));
        assertEquals(new PortEvent(PollEvents.POLLIN, PORT_SOURCE_FD, rfd, "r"), next(port));
        pipe.sink().write(ByteBuffer.wrap(new byte[]{4}));
        // disarmed: the dissociate finds neither an armed association nor a queued event
        PortException e = assertThrows(PortException.class, () -> p.portDissociate(port, PORT_SOURCE_FD, rfd));
        assertEquals(Errno.ENOENT, e.errno());
        p.portAssociate(port, PORT_SOURCE_FD, rfd, PollEvents.POLLIN, "again");
        assertEquals(new PortEvent(PollEvents.POLLIN, PORT_SOURCE_FD, rfd, "again"), next(port),
                "still readable: the re-armed association fires");
        ByteBuffer b = ByteBuffer.allocate(16);
        assertEquals(4, pipe.source().read(b));
        p.close(rfd);
        assertFalse(pipe.source().isOpen(), "the last close of the descriptor closes the channel");
        pipe.sink().close();
    }

    @Test
    void socketsAcceptConnectReadWrite() throws Exception {
        int port = p.portCreate();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int lfd = NioChannels.fdOpen(p, server);
        p.portAssociate(port, PORT_SOURCE_FD, lfd, PollEvents.POLLIN, "listener");

        SocketChannel client = SocketChannel.open();
        client.configureBlocking(false);
        client.connect(server.getLocalAddress());
        int cfd = NioChannels.fdOpen(p, client);
        p.portAssociate(port, PORT_SOURCE_FD, cfd, PollEvents.POLLOUT, "client");

        SocketChannel accepted = null;
        boolean connected = false;
        for (int i = 0; i < 2; i++) {
            PortEvent ev = next(port);
            if ("listener".equals(ev.user())) {
                assertEquals(PollEvents.POLLIN, ev.events());
                accepted = server.accept();
            } else {
                assertEquals(new PortEvent(PollEvents.POLLOUT, PORT_SOURCE_FD, cfd, "client"), ev);
                connected = client.finishConnect();
            }
        }
        assertNotNull(accepted);
        assertEquals(true, connected);
        int afd = NioChannels.fdOpen(p, accepted);
        p.portAssociate(port, PORT_SOURCE_FD, afd, PollEvents.POLLIN, "peer");
        client.write(ByteBuffer.wrap("ping".getBytes()));
        assertEquals(new PortEvent(PollEvents.POLLIN, PORT_SOURCE_FD, afd, "peer"), next(port));
        p.portAssociate(port, PORT_SOURCE_FD, cfd, PollEvents.POLLOUT, "writable");
        assertEquals(new PortEvent(PollEvents.POLLOUT, PORT_SOURCE_FD, cfd, "writable"), next(port));

        // the peer's close shows as readability (NIO has no POLLHUP)
        ByteBuffer b = ByteBuffer.allocate(16);
        assertEquals(4, accepted.read(b));
        p.portAssociate(port, PORT_SOURCE_FD, afd, PollEvents.POLLIN, "eof");
        p.close(cfd);
        assertEquals(new PortEvent(PollEvents.POLLIN, PORT_SOURCE_FD, afd, "eof"), next(port));
        assertEquals(-1, accepted.read(b));
        p.close(afd);
        p.close(lfd);
        p.close(port);
    }

    @Test
    void aChannelClosedBehindTheDescriptorPollsAsHangup() throws Exception {
        int port = p.portCreate();
        Pipe pipe = Pipe.open();
        int rfd = NioChannels.fdOpen(p, pipe.source());
        pipe.source().close();
        p.portAssociate(port, PORT_SOURCE_FD, rfd, PollEvents.POLLIN, "gone");
        assertEquals(new PortEvent(PollEvents.POLLHUP, PORT_SOURCE_FD, rfd, "gone"), p.portGet(port, Timeout.POLL));
        pipe.sink().close();
    }

    @Test
    void deterministicRuntimeIsRefused() throws Exception {
        DetSched det = new DetSched();
        try {
            Proc q = new PortSystem(Profile.ILLUMOS, det).spawn();
            Pipe pipe = Pipe.open();
            PortException e = assertThrows(PortException.class, () -> NioChannels.fdOpen(q, pipe.source()));
            assertEquals(Errno.ENOTSUP, e.errno());
            pipe.source().close();
            pipe.sink().close();
        } finally {
            det.shutdown();
        }
    }

    @Test
    void channelOfADescriptor() throws Exception {
        Pipe pipe = Pipe.open();
        int fd = NioChannels.fdOpen(p, pipe.sink());
        assertEquals(pipe.sink(), NioChannels.channel(p, fd));
        assertEquals(Errno.EBADF, assertThrows(PortException.class, () -> NioChannels.channel(p, 99)).errno());
        p.close(fd);
        pipe.source().close();
    }
}
