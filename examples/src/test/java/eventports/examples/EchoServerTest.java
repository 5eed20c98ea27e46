package eventports.examples;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The echo server on loopback with many concurrent clients (127.0.0.1 only; every socket
 * read has a timeout and the whole run a bound, so a lost event fails the test instead of
 * hanging it).
 */
class EchoServerTest {
    private static final int CLIENTS = 64;
    private static final int MESSAGES = 20;
    private static final int SO_TIMEOUT_MS = 20_000;

    private static Socket connect(InetSocketAddress addr) throws IOException {
        Socket s = new Socket();
        s.connect(addr, SO_TIMEOUT_MS);
        s.setSoTimeout(SO_TIMEOUT_MS);
        s.setTcpNoDelay(true);
        return s;
    }

    /** A client that sends messages of varying sizes one at a time and checks each echo. */
    private static Callable<Integer> chatty(InetSocketAddress addr, int seed) {
        return () -> {
            Random rnd = new Random(seed);
            try (Socket s = connect(addr)) {
                OutputStream out = s.getOutputStream();
                DataInputStream in = new DataInputStream(s.getInputStream());
                int bytes = 0;
                for (int m = 0; m < MESSAGES; m++) {
                    byte[] msg = new byte[1 + rnd.nextInt(2000)];
                    rnd.nextBytes(msg);
                    out.write(msg);
                    out.flush();
                    byte[] echo = new byte[msg.length];
                    in.readFully(echo);
                    assertArrayEquals(msg, echo, "client " + seed + " message " + m);
                    bytes += msg.length;
                }
                return bytes;
            }
        };
    }

    @Test
    void manyClientsGetTheirBytesBack() throws Exception {
        try (EchoServer server = new EchoServer(0)) {
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", server.address().getPort());
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Callable<Integer>> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(chatty(addr, i));
                }
                List<Future<Integer>> results = pool.invokeAll(clients, 120, TimeUnit.SECONDS);
                for (Future<Integer> f : results) {
                    assertTrue(f.get() > 0);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(CLIENTS, server.accepted());
            assertNull(server.failure());
        }
    }

    @Test
    void bulkTransferExercisesWritability() throws Exception {
        // 4 MiB in one direction while reading concurrently: the server's socket buffers fill,
        // so it must wait for POLLOUT and stop reading meanwhile (flow control through the port)
        byte[] data = new byte[4 << 20];
        new Random(7).nextBytes(data);
        try (EchoServer server = new EchoServer(0); Socket s = connect(server.address())) {
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int off = 0; off < data.length; off += 64 * 1024) {
                        out.write(data, off, Math.min(64 * 1024, data.length - off));
                    }
                    out.flush();
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, "bulk-writer");
            writer.start();
            InputStream in = s.getInputStream();
            byte[] got = in.readNBytes(data.length + 1);        // +1: the server's close ends the stream
            writer.join(SO_TIMEOUT_MS);
            assertEquals(data.length, got.length);
            assertTrue(Arrays.equals(data, got));
            assertNull(server.failure());
        }
    }

    @Test
    void stopEndsTheLoopAndClosesEverything() throws Exception {
        EchoServer server = new EchoServer(0);
        Socket idle = connect(server.address());
        for (int i = 0; i < 20_000 && server.accepted() == 0; i++) {
            Thread.sleep(1);                             // bounded: until the loop accepted it
        }
        assertEquals(1, server.accepted());
        server.close();
        assertNull(server.failure());
        assertEquals(-1, idle.getInputStream().read(), "the server closed the connection on stop");
        idle.close();
    }
}
