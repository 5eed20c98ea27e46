package eventports.conformance;

import eventports.kernel.Profile;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the corpus asks of an implementation: each scenario's needs (PROTOCOL.md
 * "Capabilities"), how many scenarios need each capability, and how many an implementation
 * with a growing set of capabilities can run — the table an implementer reads to decide what
 * to build next ({@code eventports conformance --needs}).
 */
public final class NeedsReport {
    /** Cumulative capability sets, from the least an implementation can have to the reference's. */
    static final List<List<Capability>> TIERS = List.of(
            List.of(),
            List.of(Capability.SENDN, Capability.ALERT),
            List.of(Capability.PROCESSES, Capability.LIMITS),
            List.of(Capability.VIRTUAL_TIME, Capability.SIGNALS),
            List.of(Capability.FD, Capability.TIMER),
            List.of(Capability.WAKEUP_ORDER),
            List.of(Capability.DISPATCH, Capability.PAUSE, Capability.SEED_CRASH, Capability.DEFERRED_RUN),
            List.of(Capability.PORT_POLL, Capability.FILE, Capability.DESCRIPTORS, Capability.PORTFS_LAYER));

    private NeedsReport() {
    }

    /** Prints the report for the variants of {@code profile} among {@code files}; returns the runs counted. */
    public static int print(List<Path> files, Profile profile, boolean perScenario, PrintStream out) {
        List<Set<Capability>> all = new ArrayList<>();
        Map<Capability, Integer> perCap = new EnumMap<>(Capability.class);
        for (Path f : files) {
            Scenario sc;
            try {
                sc = Scenario.parse(f);
            } catch (ScenarioException e) {
                out.println("FAIL " + f + ": " + e.getMessage());
                continue;
            }
            if (!sc.profiles().contains(profile)) {
                continue;
            }
            Map<Capability, String> needs = Needs.of(sc, profile);
            all.add(needs.keySet());
            needs.keySet().forEach(c -> perCap.merge(c, 1, Integer::sum));
            if (perScenario) {
                List<String> parts = new ArrayList<>();
                needs.forEach((c, why) -> parts.add(c.wire() + " (" + why + ")"));
                out.println(sc.name() + " [" + profile.id() + "]: " + (parts.isEmpty() ? "-" : String.join(", ", parts)));
            }
        }
        out.println();
        out.println("| capability | " + profile.id() + " scenarios that need it |");
        out.println("|---|---:|");
        for (Capability c : Capability.values()) {
            out.println("| `" + c.wire() + "` | " + perCap.getOrDefault(c, 0) + " |");
        }
        out.println();
        out.println("| an implementation with | can run (of " + all.size() + ") |");
        out.println("|---|---:|");
        Set<Capability> has = EnumSet.noneOf(Capability.class);
        for (List<Capability> tier : TIERS) {
            has.addAll(tier);
            int n = 0;
            for (Set<Capability> need : all) {
                n += has.containsAll(need) ? 1 : 0;
            }
            String label = has.isEmpty() ? "no capability" : (tier.size() == has.size() ? "" : "the above + ")
                    + String.join(", ", tier.stream().map(Capability::wire).toList());
            out.println("| " + label + " | " + n + " |");
        }
        return all.size();
    }
}
