package eventports.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 18 D19 as the issue shows it, through the calls every version of Proc has: after
 * exit() a process could still portCreate() and fork(). An exited process has no descriptor
 * table (fio.c closeall), so both fail with EBADF, in both profiles. DescriptorLayerTest
 * checks the other calls (dup, fd_open, a second exit) on the descriptor layer.
 */
class ExitedProcessTest {
    @Test
    void anExitedProcessCanNeitherCreateAPortNorFork() throws Exception {
        for (Profile profile : Profile.values()) {
            try (Det d = new Det(profile)) {
                Proc p = d.sys.spawn();
                d.now("T0", p::portCreate);
                d.now("T0", () -> {
                    p.exit();
                    return 0;
                });
                PortException create = assertThrows(PortException.class, () -> d.now("T0", p::portCreate),
                        profile + ": portCreate after exit");
                assertEquals(Errno.EBADF, create.errno(), profile.name());
                PortException fork = assertThrows(PortException.class, p::fork, profile + ": fork after exit");
                assertEquals(Errno.EBADF, fork.errno(), profile.name());
                assertEquals(0, d.sys.portCount(), profile + ": the exited process made no port");
            }
        }
    }
}
