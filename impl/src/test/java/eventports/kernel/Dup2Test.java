package eventports.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * dup2 (fcntl.c F_DUP2FD) in what scenarios cannot state (the format does not fix a dup2's
 * number): it returns {@code fd2}, {@code fd_max - 1} is in range and {@code fd_max} is not,
 * and the open file gets one more reference. Issue 19: PIT's mutants of these survived the corpus.
 */
class Dup2Test {

    @Test
    void dup2ReturnsTheTargetCountsAReferenceAndReleasesItsOwn() throws Exception {
        Limits limits = Limits.ILLUMOS_DEFAULTS.withFdMax(8);
        try (Det d = new Det(Profile.ILLUMOS, Layer.DESCRIPTORS, limits)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T0", p::portCreate);
            assertEquals(fd, (int) d.now("T0", () -> p.dup2(fd, fd)), "onto itself");
            assertEquals(Errno.EBADF, assertThrows(PortException.class,
                    () -> d.now("T0", () -> p.dup2(fd, 8))).errno(), "fd2 = fd_max is out of range");
            assertEquals(7, (int) d.now("T0", () -> p.dup2(fd, 7)), "dup2 returns fd2; fd_max - 1 is in range");
            d.now("T0", () -> {
                p.portSend(7, 1, "via 7");
                return 0;
            });
            assertEquals("via 7", ((PortEvent) d.now("T0", () -> p.portGet(fd, Timeout.POLL))).user());
            d.now("T0", () -> {
                p.close(fd);
                return 0;
            });
            assertEquals(1, d.sys.portCount(), "descriptor 7 still holds the port: dup2 counted its reference");
            d.now("T0", () -> {
                p.close(7);
                return 0;
            });
            assertEquals(0, d.sys.portCount());
        }
    }
}
