package eventports.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Profile;
import eventports.tracevalidation.api.ApiValidator;
import eventports.tracevalidation.api.ApiVerdict;

import java.io.PrintStream;
import java.util.List;

/**
 * What API-level validation costs against the number of calls in flight at once (issue 12): for
 * each N, a generated scenario in which N threads block in port_get on one port, one thread
 * sends N events, and the N getters are awaited (each retriever's exit wakes the next, W2),
 * {@code rounds} times over; the Java reference's API trace of it is validated in a fresh TLC
 * JVM per profile and timed. Prints a Markdown table: {@code ApiCostTable [--rounds R] N...}.
 * ({@code ./eventports trace cost} prints the same.) The illumos profile costs more: a retriever pushes what it left back to the queue's tail
 * (behind events sent meanwhile), so the queue's order depends on the interleaving.
 */
public final class ApiCostTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiCostTable() {
    }

    /** The scenario: N getters in flight at once, {@code rounds} times. */
    static Scenario scenario(int n, int rounds) throws ScenarioException {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", "api-cost-" + n);
        root.putArray("profiles").add("illumos").add("corrected");
        ArrayNode steps = root.putArray("steps");
        steps.addObject().put("op", "port_create").put("thread", "S").put("proc", "P1").put("as", "p");
        for (int r = 0; r < rounds; r++) {
            for (int g = 1; g <= n; g++) {
                steps.addObject().put("op", "port_get").put("thread", "G" + g).put("proc", "P1").put("port", "p")
                        .putNull("timeout");
            }
            for (int g = 1; g <= n; g++) {
                steps.addObject().put("op", "port_send").put("thread", "S").put("port", "p").put("events", 1)
                        .put("user", "r" + r + "e" + g);
            }
            // the ring wakes its head first; equal counts queue last-in first (illumos)
            for (int g = n; g >= 1; g--) {
                steps.addObject().put("op", "await").put("thread", "G" + g);
            }
        }
        return Scenario.fromJson(root, null);
    }

    public static void main(String[] args) throws Exception {
        int rounds = 4;
        int from = 0;
        if (args.length >= 2 && args[0].equals("--rounds")) {
            rounds = Integer.parseInt(args[1]);
            from = 2;
        }
        int[] ns = args.length == from ? new int[] {1, 2, 4, 8, 16}
                : java.util.Arrays.stream(args, from, args.length).mapToInt(Integer::parseInt).toArray();
        print(System.out, rounds, ns);
        System.exit(0);
    }

    /** The table for N getters in flight, each N of {@code ns}, {@code rounds} rounds. */
    public static void print(PrintStream out, int rounds, int... ns) throws ScenarioException {
        out.println("| calls in flight | records | illumos: spec states | illumos: validation (s) "
                + "| corrected: spec states | corrected: validation (s) |");
        out.println("|---:|---:|---:|---:|---:|---:|");
        for (int n : ns) {
            StringBuilder row = new StringBuilder();
            int records = 0;
            for (Profile p : List.of(Profile.ILLUMOS, Profile.CORRECTED)) {
                ApiTraces.Run run = ApiTraces.run(scenario(n, rounds), p);
                if (!run.verdict().passed()) {
                    throw new IllegalStateException("generated scenario failed: " + run.verdict().failure());
                }
                long t0 = System.nanoTime();
                ApiVerdict v = ApiValidator.validate(List.of(
                        new ApiValidator.ApiTrace("api-cost-" + n, p, run.records()))).get(0);
                double s = (System.nanoTime() - t0) / 1e9;
                if (!v.accepted()) {
                    throw new IllegalStateException("a genuine trace was rejected: " + v.report());
                }
                records = v.records();
                row.append(String.format(" %d | %.2f |", v.states(), s));
            }
            out.printf("| %d | %d |%s%n", n + 1, records, row);
        }
    }
}
