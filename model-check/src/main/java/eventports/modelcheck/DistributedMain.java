package eventports.modelcheck;

/**
 * {@code DistributedMain MODEL WORKERS}: a TLCServer and WORKERS TLCWorkers on
 * loopback (see distributed.sh); prints the server's output and a RESULT line.
 */
public final class DistributedMain {
    private DistributedMain() {}

    public static void main(String[] args) throws Exception {
        RunRequest req = new RunRequest();
        req.model = args.length > 0 ? args[0] : "small";
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        RunResult r = Distributed.runLoopback(req, workers, 24 * 3600, System.out::println);
        System.out.println(r.resultLine());
        System.exit(r.ok() ? 0 : 1);
    }
}
