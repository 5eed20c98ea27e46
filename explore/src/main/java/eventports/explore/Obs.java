package eventports.explore;

import eventports.kernel.PortQueue;

import java.util.List;
import java.util.Map;

/**
 * What the driver saw just before a step: virtual time, each port's queue counters and
 * allocated slots, and each process's open descriptors.
 */
public record Obs(long now, Map<Program.Ref, PortQueue.Snapshot> snapshots, Map<Program.Ref, Integer> curr,
                  Map<String, List<Integer>> openFds) {

    public PortQueue.Snapshot snap(Program.Ref port) {
        return snapshots.get(port);
    }

    public boolean flag(Program.Ref port, int flag) {
        PortQueue.Snapshot s = snapshots.get(port);
        return s != null && (s.flags() & flag) != 0;
    }

    public boolean isOpen(String proc, int fd) {
        List<Integer> l = openFds.get(proc);
        return l != null && l.contains(fd);
    }
}
