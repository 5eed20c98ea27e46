package eventports.kernel;

/**
 * The seed would crash here (a NULL dereference: a kernel panic), or corrupt kernel memory past
 * what the core can represent (a list node linked into two lists). The core does not continue
 * silently: it raises this error naming the seed line. Only the ILLUMOS profile reaches it.
 */
public final class SeedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String seedLine;

    public SeedCrash(String seedLine, String what) {
        super("port.c:" + seedLine + ": " + what);
        this.seedLine = seedLine;
    }

    public String seedLine() {
        return seedLine;
    }
}
