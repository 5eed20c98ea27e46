package eventports.mutation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** DiscoveryPass skips nothing outside pitest-junit5-plugin's discovery pass. */
class DiscoveryPassTest {
    @Test
    void anOrdinaryRunIsNotTheDiscoveryPass() {
        assertFalse(DiscoveryPass.discovering());
    }
}
