package eventports.tracevalidation.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Errno;
import eventports.kernel.Limits;
import eventports.kernel.PollEvents;
import eventports.kernel.Ports;
import eventports.tracevalidation.api.ApiFields.Reject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static eventports.tracevalidation.api.ApiFields.arg;
import static eventports.tracevalidation.api.ApiFields.canon;
import static eventports.tracevalidation.api.ApiFields.errName;
import static eventports.tracevalidation.api.ApiFields.errno;
import static eventports.tracevalidation.api.ApiFields.eventPay;
import static eventports.tracevalidation.api.ApiFields.getnErr;
import static eventports.tracevalidation.api.ApiFields.mismatch;
import static eventports.tracevalidation.api.ApiFields.num;
import static eventports.tracevalidation.api.ApiFields.op;
import static eventports.tracevalidation.api.ApiFields.payload;
import static eventports.tracevalidation.api.ApiFields.status;
import static eventports.tracevalidation.api.ApiFields.text;
import static eventports.tracevalidation.api.ApiFields.timeout;
import static eventports.tracevalidation.api.ApiFields.userPay;

/*
 * The API-level loader. An API trace names descriptors, not ports, and mixes every port of a
 * run; EventPort models one port. The loader replays the trace's descriptor tables (port_create
 * returns, fd_open, fork, dup, dup2, sendfd, close, exit, timer_create) in record order and
 *
 *  - decides, and checks against the return record, what a call's front end decides without a
 *    port: EBADF (not open), EBADFD (not a port), EINVAL (port_getn nget > max, bad alert flags,
 *    port_sendn's entry count, a dispatch source other than AIO/MQ, an association source other
 *    than FD and FILE), port_getn's nget == 0, libc's "nget unchanged" on errors other than ETIME, the
 *    FD source's checks that need only descriptors (EBADFD, ENOENT, EACCES), port_create's
 *    EAGAIN (project.max-port-ids) and EMFILE;
 *  - splits everything else per port (PortTrace): each call on a port becomes a call record
 *    with EventPort's op, the events it allocates and the positions after which an interrupt
 *    (intrAt) or the passing of its deadline (expAt) may end its sleep; each return a record
 *    with the result in the spec's terms (error, count, the delivered payloads, each event's
 *    outcome); sleeps, forks, fd_ready/fd_clear of files associated with the port and timer
 *    expiries go to the ports they concern.
 *
 * The descriptor layer (the header's "layer", default descriptors: EventPort's FdLayer) is the
 * spec's: each call record carries the descriptor it names, and fork, dup and sendfd records
 * tell the port which <<process, descriptor>> pairs hold it (refs). What the spec does not
 * model as a holder is done here: a close evicts its process's other calls on the descriptor
 * (a port_dispatch asleep for a slot ends as if interrupted, and its EBADF is the spec's
 * EINTR: post_syscall), and exit interrupts its process's calls (exitlwps) before it closes.
 *
 * Which FD association (and so which CACHED slot) a port_associate uses is decided here by the
 * records' order: a key (descriptor number, open file) with a live association re-arms its
 * slot, otherwise the call makes a new one. A call that spans several ports (port_sendn, exit)
 * has its part on each; a sleep record of such a call is not attributed (dropped).
 *
 * Virtual time moves only at advance records; a positive timeout's deadline is the call's
 * entry time plus the timeout (the earliest the implementation can have computed it), so an
 * ETIME needs advances of at least the timeout after the call record; a deadline the clock
 * cannot represent never passes.
 *
 * The loader runs twice: the first pass only learns which open files each port ever
 * associates (fd_ready/fd_clear go to those ports' traces in the second), which ports ever
 * have a FILE watch (the file system's calls go to those) and which FILE associations the file
 * system failed (see "the FILE source" below).
 */
final class ApiLoader {
    static final int NEVER = 1_000_000_000;
    private static final int HUP_ERR = PollEvents.POLLHUP | PollEvents.POLLERR;
    /** The calls EventPort's descriptor layer counts as holding their descriptor (Holder). */
    private static final Set<String> HOLDERS = Set.of("get", "getn", "count");
    /**
     * The file system's calls (conformance/FORMAT.md): the environment of the FILE source.
     * Their results are not checked; while one is in progress, a FILE watch may fire.
     */
    private static final Set<String> FS_OPS = Set.of("file_obj", "file_create", "file_write", "file_read",
            "file_setattr", "file_unlink", "file_mkdir", "file_rmdir", "file_rename", "file_link", "fs_mount",
            "fs_unmount");
    /**
     * Of those, the ones that may raise a FILE exception event (vnevent_remove, vnevent_rmdir,
     * vnevent_rename_*, the mount and unmount hooks) when they succeed: a failed call changed
     * nothing in the file system.
     */
    private static final Set<String> FS_EXC_OPS = Set.of("file_unlink", "file_rmdir", "file_rename", "fs_mount",
            "fs_unmount");

    private record File(boolean port, int id) {
    }

    private record Key(long fd, int obj) {
    }

    /** An FD association as the records' order makes it. */
    private static final class Assoc {
        int slot;
        String owner;
        long fd;
    }

    /**
     * A FILE key (process, file_obj address) that may have a watch: the object its slots share
     * (their FdOf), and the slot of each association call made on it, of which the spec keeps
     * at most one alive (an exception may have dropped it: ApiTraceEventPort's port_fop_excep).
     */
    private static final class Watch {
        int obj;
        String owner;
        final List<Integer> slots = new ArrayList<>();
    }

    private static final class PortState {
        final PortTrace trace;
        /** The descriptors that hold the port, "proc/fd" (EventPort's refs). */
        final Set<String> holders = new HashSet<>();
        boolean fdCache;
        final Map<Key, Assoc> assocs = new LinkedHashMap<>();
        /** FILE keys that may have a watch, by "proc/file_obj address" (port_fop.c's key), and whether it ever had one. */
        final Map<String, Watch> fops = new LinkedHashMap<>();
        boolean hadFop;
        boolean lastCloseStarted;
        boolean lastCloseReturned;

        PortState(PortTrace trace) {
            this.trace = trace;
        }
    }

    /** A call's share on one port: its call record and the events it allocates. */
    private static final class Part {
        ObjectNode rec;
        String kind;
        final List<Integer> evs = new ArrayList<>();
        /** A positive timeout's deadline (ns of virtual time), or null. */
        Long deadline;
        /** A close of its descriptor by its process evicted the call (closeandsetf's a_stale). */
        boolean stale;

        /** The call allocates, arms or removes event slot {@code e}. */
        void add(int e) {
            evs.add(e);
            ((ArrayNode) rec.get("evs")).add(e);
        }
    }

    private static final class Call {
        final String thread;
        final String proc;
        final String op;
        final int at;
        /** The status the loader decided (front end), or null. */
        ObjectNode decided;
        final Map<PortState, Part> parts = new LinkedHashMap<>();
        /** port_getn's nget argument. */
        long ngetIn;
        /** port_sendn: per entry, its port or the errno the front end gives it. */
        final List<Object> entries = new ArrayList<>();
        /** port_associate: a new association the return confirms or drops. */
        Assoc fresh;
        PortState port;
        Key key;
        /** The descriptor the call holds (getf), or -1. */
        long fd = -1;
        /** dup, dup2: the open file the new descriptor refers to. */
        File dupOf;
        /** A call of the file system (FS_OPS): the environment's, checked for its shape only. */
        boolean fs;
        /** Its fsop records (one per port with FILE watches), while it is in progress. */
        final List<ObjectNode> fsops = new ArrayList<>();
        /** port_associate (FILE): the new watch's key, dropped if the call fails. */
        String fopKey;

        Call(String thread, String proc, String op, int at) {
            this.thread = thread;
            this.proc = proc;
            this.op = op;
            this.at = at;
        }
    }

    final String id;
    final List<ObjectNode> in;
    /** The port traces, in the order the ports were created. */
    final List<PortTrace> ports = new ArrayList<>();
    /** The loader's own rejection, or null. */
    Reject reject;
    Limits limits = Limits.ILLUMOS_DEFAULTS;
    /** The header's layer: the descriptor layer above portfs (true, the default) or portfs alone. */
    boolean fdLayer = true;

    private final Map<Integer, Set<Integer>> assocObjs;
    /** From the first pass: the ports that ever have a FILE watch, and the FILE associations the file system failed. */
    private final Set<Integer> fopPorts;
    private final Map<Integer, String> fsErr;
    private final Map<Integer, String> fsErrSeen = new HashMap<>();
    private final Map<Integer, Set<Integer>> seenObjs = new HashMap<>();
    private final List<PortState> portStates = new ArrayList<>();
    private final Map<String, TreeMap<Long, File>> tables = new LinkedHashMap<>();
    /** "proc/fd" of every fd_open object ever (numbers are never reused): fd_ready acts on the object. */
    private final Map<String, Integer> objectOf = new HashMap<>();
    private final Map<String, String> threadProc = new HashMap<>();
    private final Map<String, Call> inFlight = new LinkedHashMap<>();
    private final Map<String, Map.Entry<PortState, Integer>> timers = new HashMap<>();
    /** Processes that have called exit: every later call of theirs fails with EBADF. */
    private final Set<String> exited = new HashSet<>();
    private int objects;
    /** Ports whose descriptor is an FD object: port number -> object number (objOf). */
    private final Map<Integer, Integer> portObjs = new HashMap<>();
    private long now;

    /** Load {@code in} (an API trace, header first); {@link #reject} says where the loader stopped. */
    static ApiLoader load(String id, List<ObjectNode> in) {
        ApiLoader first = new ApiLoader(id, in, null, null, null);
        Set<Integer> fopPorts = new HashSet<>();
        first.portStates.stream().filter(p -> p.hadFop).forEach(p -> fopPorts.add(p.trace.port));
        ApiLoader second = new ApiLoader(id, in, first.seenObjs, fopPorts, first.fsErrSeen);
        second.ports.forEach(p -> p.objs.addAll(first.seenObjs.getOrDefault(p.port, Set.of())));
        return second;
    }

    private ApiLoader(String id, List<ObjectNode> in, Map<Integer, Set<Integer>> assocObjs, Set<Integer> fopPorts,
                      Map<Integer, String> fsErr) {
        this.id = id;
        this.in = in;
        this.assocObjs = assocObjs;
        this.fopPorts = fopPorts;
        this.fsErr = fsErr;
        for (int n = 0; n < in.size(); n++) {
            try {
                record(n, in.get(n));
            } catch (Reject r) {
                reject = r;
                return;
            }
        }
    }

    private void record(int n, ObjectNode r) throws Reject {
        if (!r.path("seq").isIntegralNumber() || r.get("seq").asLong() != n) {
            throw new Reject(n, "seq " + r.get("seq") + " where " + n + " was due (records count from 0 without gaps)");
        }
        if (n == 0 != r.path("kind").asText().equals("header")) {
            throw new Reject(n, n == 0 ? "the first record must be the header" : "a second header");
        }
        switch (r.path("kind").asText()) {
            case "header":
                header(n, r);
                break;
            case "call":
                call(n, r);
                break;
            case "return":
                ret(n, r);
                break;
            case "sleep":
                sleep(n, r);
                break;
            case "env":
                env(n, r);
                break;
            default:
                throw new Reject(n, "unknown \"kind\" " + r.get("kind"));
        }
    }

    private void header(int n, ObjectNode r) throws Reject {
        JsonNode l = r.path("limits");
        Limits d = Limits.ILLUMOS_DEFAULTS;
        limits = new Limits((int) lim(n, l, "port_max_events", d.portMaxEvents()), (int) lim(n, l, "port_max_ids", d.portMaxIds()),
                (int) lim(n, l, "port_max_list", d.portMaxList()), (int) lim(n, l, "fd_max", d.fdMax()));
        String layer = r.path("layer").asText("descriptors");
        if (!layer.equals("descriptors") && !layer.equals("portfs")) {
            throw new Reject(n, "header: \"layer\" must be \"descriptors\" or \"portfs\", got " + r.get("layer"));
        }
        fdLayer = layer.equals("descriptors");
    }

    private static long lim(int n, JsonNode l, String f, int dflt) throws Reject {
        if (!l.has(f)) {
            return dflt;
        }
        if (!l.get(f).canConvertToInt() || l.get(f).asInt() < 0) {
            throw new Reject(n, "header: limit \"" + f + "\" must be a non-negative integer, got " + l.get(f));
        }
        return l.get(f).asInt();
    }

    // ---- calls ------------------------------------------------------------------------------

    private void call(int n, ObjectNode r) throws Reject {
        String t = text(n, r, "thread");
        String proc = text(n, r, "proc");
        String op = text(n, r, "op");
        bindThread(n, t, proc);
        if (inFlight.containsKey(t)) {
            throw new Reject(n, "thread " + t + " enters " + op + " while its " + inFlight.get(t).op + " (record "
                    + inFlight.get(t).at + ") has not returned");
        }
        Call c = new Call(t, proc, op, n);
        inFlight.put(t, c);
        if (op.equals("exit") && !t.equals(proc + "#exit")) {
            throw new Reject(n, "exit is made by thread \"" + proc + "#exit\", not " + t);
        }
        if (exited.contains(proc)) {
            // an exited process has no descriptor table left: every call fails (Fio.syscallEntry)
            c.decided = op.equals("port_getn") ? getnErr(Errno.EBADF, r.path("nget").asLong(0)) : errno(Errno.EBADF);
            return;
        }
        switch (op) {
            case "port_create":
                break;
            case "close":
                closeFd(n, c, num(n, r, "fd"));
                break;
            case "exit":
                exit(n, c);
                break;
            case "dup":
                dup(n, c, r);
                break;
            case "dup2":
                dup2(n, c, r);
                break;
            case "port_send": {
                PortState ps = port(n, c, num(n, r, "fd"));
                if (ps != null) {
                    send(n, c, ps, 3, userPay(r, 3, "0"), false, false);
                }
                break;
            }
            case "port_sendn":
                sendn(n, c, r);
                break;
            case "port_alert":
                alert(n, c, r);
                break;
            case "port_dispatch":
                dispatch(n, c, r);
                break;
            case "port_get":
            case "port_getn":
                get(n, c, r);
                break;
            case "port_associate":
                associate(n, c, r);
                break;
            case "port_dissociate":
                dissociate(n, c, r);
                break;
            case "timer_create":
                timerCreate(n, c, r);
                break;
            default:
                if (!FS_OPS.contains(op)) {
                    throw new Reject(n, "unknown op \"" + op + "\"");
                }
                fsOp(n, c, 1, true);
                break;
        }
        if (c.decided == null && c.parts.isEmpty() && !op.equals("port_create") && c.dupOf == null && !c.fs) {
            // a close of a descriptor with nothing on a port (or an exit with none) returns 0
            c.decided = ApiTraceWriter.JSON.createObjectNode().put("ret", 0);
        }
    }

    /** The port behind descriptor {@code fd} of the caller, or null with the front end's errno decided. */
    private PortState port(int n, Call c, long fd) {
        File f = table(c.proc).get(fd);
        c.fd = fd;
        if (f == null || !f.port()) {
            c.decided = c.op.equals("port_getn") ? getnErr(f == null ? Errno.EBADF : Errno.EBADFD, c.ngetIn)
                    : errno(f == null ? Errno.EBADF : Errno.EBADFD);
            return null;
        }
        return portStates.get(f.id());
    }

    /** The part of call {@code c} on port {@code ps}: its call record, appended now. */
    private Part part(int n, Call c, PortState ps, String kind, ObjectNode op) {
        Part p = c.parts.get(ps);
        if (p == null) {
            p = new Part();
            p.kind = kind;
            p.rec = PortTrace.rec("call", c.thread);
            p.rec.set("op", op);
            p.rec.set("evs", ApiTraceWriter.JSON.createArrayNode());
            p.rec.set("arg", arg(0, ""));
            p.rec.put("intrAt", NEVER);
            p.rec.put("expAt", NEVER);
            // an exit's close waits for the process's other threads to leave their calls (exitlwps)
            p.rec.put("ex", fdLayer && c.op.equals("exit"));
            p.rec.putArray("more");
            // the result its return record gives, once read ("?": the trace ends before it)
            ObjectNode x = p.rec.putObject("x").put("err", "?").put("nget", -1);
            x.putArray("evs");
            x.putArray("outs");
            ps.trace.thread(c.thread, c.proc);
            ps.trace.add(p.rec, n);
            c.parts.put(ps, p);
        }
        return p;
    }

    private void addEvent(int n, Call c, PortState ps, Part p, PortTrace.Ev ev) {
        ev.thread = c.thread;
        ev.callAt = ps.trace.size();
        ev.owner = ev.owner == null ? c.proc : ev.owner;
        ev.prev = p.evs.isEmpty() || !ev.kind.equals("user") ? 0 : p.evs.get(p.evs.size() - 1);
        p.add(ps.trace.event(ev));
    }

    private void send(int n, Call c, PortState ps, int source, ObjectNode pay, boolean disp, boolean noshare) {
        Part p = part(n, c, ps, disp ? "dispatch" : "send", op(disp ? "dispatch" : "send", c.fd));
        PortTrace.Ev ev = new PortTrace.Ev();
        ev.pay = pay;
        ev.disp = disp;
        ev.noshare = noshare;
        addEvent(n, c, ps, p, ev);
    }

    /** port_dispatch (P:665-679): AIO and MQ only; the event may be NOSHARE; it waits for a slot. */
    private void dispatch(int n, Call c, ObjectNode r) throws Reject {
        PortState ps = port(n, c, num(n, r, "fd"));
        if (ps == null) {
            return;
        }
        long source = num(n, r, "source");
        if (source != Ports.PORT_SOURCE_AIO && source != Ports.PORT_SOURCE_MQ) {
            c.decided = errno(Errno.EINVAL);
            return;
        }
        String object = r.hasNonNull("object") ? Long.toString(num(n, r, "object")) : "0";
        send(n, c, ps, (int) source, userPay(r, (int) source, object), true, r.path("noshare").asBoolean(false));
    }

    /** timer_create with SIGEV_PORT: one SCACHED slot; the timer id (the event's object) comes with the return. */
    private void timerCreate(int n, Call c, ObjectNode r) throws Reject {
        PortState ps = port(n, c, num(n, r, "fd"));
        if (ps == null) {
            return;
        }
        PortTrace.Ev ev = new PortTrace.Ev();
        ev.kind = "timer";
        slotCall(n, c, ps, "timer", ev, arg(0, r.has("user") ? canon(r.get("user")) : "0"));
    }

    private void sendn(int n, Call c, ObjectNode r) throws Reject {
        JsonNode fds = r.get("fds");
        if (fds == null || !fds.isArray()) {
            throw new Reject(n, "port_sendn without a \"fds\" list");
        }
        if (fds.size() == 0 || fds.size() > limits.portMaxList()) {                 // P:988-989
            c.decided = errno(Errno.EINVAL);
            return;
        }
        ObjectNode pay = userPay(r, Ports.PORT_SOURCE_USER, "0");
        for (JsonNode fd : fds) {
            if (!fd.isIntegralNumber()) {
                throw new Reject(n, "port_sendn: \"fds\" holds " + fd + ", not a descriptor number");
            }
            File f = table(c.proc).get(fd.asLong());
            if (f == null || !f.port()) {
                c.entries.add(f == null ? Errno.EBADF : Errno.EBADFD);
                continue;
            }
            PortState ps = portStates.get(f.id());
            c.entries.add(ps);
            send(n, c, ps, Ports.PORT_SOURCE_USER, pay, false, false);
        }
        if (c.parts.isEmpty()) {
            // every entry failed in the front end: nothing reaches a port
            c.decided = ApiTraceWriter.JSON.createObjectNode().put("ret", 0);
        }
    }

    private void alert(int n, Call c, ObjectNode r) throws Reject {
        PortState ps = port(n, c, num(n, r, "fd"));
        if (ps == null) {
            return;
        }
        long events = r.hasNonNull("events") ? num(n, r, "events") : 0;
        long flags = r.hasNonNull("flags") ? num(n, r, "flags") : 0;
        if (events == 0) {                                                        // P:697-700
            part(n, c, ps, "unalert", op("unalert", c.fd));
            return;
        }
        if ((flags & Ports.PORT_ALERT_INVALID) == Ports.PORT_ALERT_INVALID) {      // P:1080-1081
            c.decided = errno(Errno.EINVAL);
            return;
        }
        ObjectNode pay = payload(Ports.PORT_SOURCE_ALERT, (int) events, "0", r.has("user") ? canon(r.get("user")) : "0");
        int k = ps.trace.alert(pay);
        part(n, c, ps, "alert", op("alert", 0, 0, "none", flags == Ports.PORT_ALERT_UPDATE ? "UPDATE" : "SET", k, c.fd));
    }

    private void get(int n, Call c, ObjectNode r) throws Reject {
        boolean getn = c.op.equals("port_getn");
        long max = getn ? num(n, r, "max") : 1;
        c.ngetIn = getn ? num(n, r, "nget") : 1;
        PortState ps = port(n, c, num(n, r, "fd"));
        if (ps == null) {
            return;
        }
        long nget = c.ngetIn;
        String to = timeout(n, r);
        if (getn && max != 0 && Long.compareUnsigned(nget & 0xffffffffL, max & 0xffffffffL) > 0) {  // P:1184-1185
            c.decided = getnErr(Errno.EINVAL, nget);
            return;
        }
        if (getn && max != 0 && nget == 0) {                                      // P:1215-1218
            c.decided = ApiTraceWriter.JSON.createObjectNode().put("ret", 0).put("nget", 0);
            c.decided.putArray("events");
            return;
        }
        // max beyond any queue is as good as the largest int (nmax = min(max, nent))
        long mx = Math.min(max & 0xffffffffL, 1 << 30);
        ObjectNode o = max == 0 ? op("count", 0, nget, to, "none", 0, c.fd)
                : op(getn ? "getn" : "get", mx, nget, to, "none", 0, c.fd);
        Part p = part(n, c, ps, o.get("kind").asText(), o);
        if (to.equals("pos")) {
            JsonNode tv = r.get("timeout");
            long sec = tv.get("sec").asLong();
            long nsec = tv.get("nsec").asLong();
            // a deadline the clock cannot represent never passes (Timeout.deadlineFrom)
            if (sec <= (Long.MAX_VALUE - nsec) / 1_000_000_000L) {
                long rel = sec * 1_000_000_000L + nsec;
                if (rel <= Long.MAX_VALUE - now) {
                    p.deadline = now + rel;
                }
            }
        }
    }

    /**
     * The port of a port_associate / port_dissociate of the FD source, or null with the front
     * end's errno decided (EBADF, EBADFD; EINVAL for a source other than FD and FILE).
     */
    private PortState fdSource(int n, Call c, ObjectNode r) throws Reject {
        PortState ps = port(n, c, num(n, r, "fd"));
        if (ps == null) {
            return null;
        }
        long source = num(n, r, "source");
        if (source != Ports.PORT_SOURCE_FD && source != Ports.PORT_SOURCE_FILE) {
            c.decided = errno(Errno.EINVAL);
            return null;
        }
        return ps;
    }

    private void associate(int n, Call c, ObjectNode r) throws Reject {
        PortState ps = fdSource(n, c, r);
        if (ps == null) {
            return;
        }
        if (num(n, r, "source") == Ports.PORT_SOURCE_FILE) {
            fileAssociate(n, c, ps, r);
            return;
        }
        long object = num(n, r, "object");
        File f = object < 0 || object > Integer.MAX_VALUE ? null : table(c.proc).get(object);
        if (f == null) {
            c.decided = errno(Errno.EBADFD);
            return;
        }
        int obj = objOf(f);
        if (f.port()) {
            // a port's descriptor as an FD object (nested ports): that port is polled, and its
            // readiness is free in this port's trace (see polledBy)
            portStates.get(f.id()).trace.polled = true;
            ps.trace.portObjs.add(obj);
        }
        ps.fdCache = true;
        seenObjs.computeIfAbsent(ps.trace.port, k -> new TreeSet<>()).add(obj);
        long events = r.hasNonNull("events") ? num(n, r, "events") : 0;
        ObjectNode arg = arg((int) events | HUP_ERR, r.has("user") ? canon(r.get("user")) : "0");
        Key key = new Key(object, obj);
        Assoc a = ps.assocs.get(key);
        if (a != null) {                                                          // re-association
            Part p = part(n, c, ps, "assoc", op("assoc", c.fd));
            p.rec.set("arg", arg);
            p.add(a.slot);
            return;
        }
        PortTrace.Ev ev = new PortTrace.Ev();
        ev.kind = "fd";
        ev.obj = obj;
        ev.payObj = Long.toString(object);
        a = new Assoc();
        a.owner = c.proc;
        a.fd = object;
        a.slot = slotCall(n, c, ps, "assoc", ev, arg);
        ps.assocs.put(key, a);
        c.fresh = a;
        c.port = ps;
        c.key = key;
    }

    // ---- the FILE source (port_fop.c) --------------------------------------------------------

    /*
     * A FILE watch is an FD-like CACHED slot keyed by (process, file_obj address) on its port.
     * What the file system decides — whether the file exists, has vnode events, which operation
     * fires which event — is below the spec: an association that fails with an errno other
     * than EAGAIN (the port's slot) was decided by the file system (the first pass learns which,
     * fsErr), and a watch may fire, with bits of its mask, while a file system call is in
     * progress (an fsop record) or during its own association (the timestamp check), or be
     * dropped there by an exception event (port_fop_excep). The port protocol around the watches
     * is the spec's: one event per arming, delivered once, a re-association taking a queued event
     * back (keeping the first cookie), dissociation's result (0 iff the watch was active or its
     * event queued), the closes. Since an exception may have dropped a watch, whether a call
     * re-associates one or makes a new one is the spec's to decide too: each association call
     * brings a slot of its own and one for an exception event, and a dissociation names every
     * slot of its key.
     */

    /**
     * A file system call begins (d = 1) or returns (d = -1, {@code ok}: with 0): the ports with
     * FILE watches see it; exc says whether it may raise an exception (FS_EXC_OPS; known once
     * it returned, assumed until then).
     */
    private void fsOp(int n, Call c, int d, boolean ok) {
        c.fs = true;
        boolean exc = FS_EXC_OPS.contains(c.op) && ok;
        if (d < 0) {
            c.fsops.forEach(r -> r.put("exc", exc));
        }
        for (PortState ps : portStates) {
            if (fopPorts == null || fopPorts.contains(ps.trace.port)) {
                ObjectNode r = PortTrace.rec("fsop", null).put("d", d).put("exc", exc);
                ps.trace.add(r, n);
                if (d > 0) {
                    c.fsops.add(r);
                }
            }
        }
    }

    private void fileAssociate(int n, Call c, PortState ps, ObjectNode r) throws Reject {
        if (fsErr != null && fsErr.containsKey(n)) {
            c.decided = ApiTraceWriter.JSON.createObjectNode().put("errno", fsErr.get(n));
            return;
        }
        long addr = num(n, r, "object");
        String key = c.proc + "/" + addr;
        long events = r.hasNonNull("events") ? num(n, r, "events") : 0;
        String user = r.has("user") ? canon(r.get("user")) : "0";
        ps.hadFop = true;
        Watch w = ps.fops.get(key);
        if (w == null) {
            w = new Watch();
            w.obj = objects++;
            w.owner = c.proc;
            ps.trace.fileObjs.add(w.obj);
            ps.fops.put(key, w);
        }
        PortTrace.Ev ev = new PortTrace.Ev();
        ev.kind = "file";
        ev.obj = w.obj;
        ev.payObj = Long.toString(addr);
        int slot = slotCall(n, c, ps, "assoc", ev, arg((int) events, user));
        w.slots.add(slot);
        // its exception event (ExcOf: numbered right after the slot), the owner's only
        PortTrace.Ev exc = new PortTrace.Ev();
        exc.kind = "fexc";
        exc.noshare = true;
        exc.payObj = ev.payObj;
        addEvent(n, c, ps, c.parts.get(ps), exc);
        c.port = ps;
        c.fopKey = key;
    }

    /** port_dissociate_fop: EINVAL if the port never had a FILE watch, ENOENT if the caller has none for it. */
    private void fileDissociate(int n, Call c, PortState ps, ObjectNode r) throws Reject {
        if (!ps.hadFop) {
            c.decided = errno(Errno.EINVAL);
            return;
        }
        Watch w = ps.fops.remove(c.proc + "/" + num(n, r, "object"));
        if (w == null) {
            c.decided = errno(Errno.ENOENT);
            return;
        }
        Part p = part(n, c, ps, "dissoc", op("dissoc", c.fd));
        w.slots.forEach(p::add);
    }

    /** A call that allocates one FD or timer slot (port_alloc_event_local) and arms it. */
    private int slotCall(int n, Call c, PortState ps, String kind, PortTrace.Ev ev, ObjectNode arg) {
        Part p = part(n, c, ps, kind, op(kind, c.fd));
        p.rec.set("arg", arg);
        addEvent(n, c, ps, p, ev);
        return p.evs.get(0);
    }

    private void dissociate(int n, Call c, ObjectNode r) throws Reject {
        PortState ps = fdSource(n, c, r);
        if (ps == null) {
            return;
        }
        if (num(n, r, "source") == Ports.PORT_SOURCE_FILE) {
            fileDissociate(n, c, ps, r);
            return;
        }
        // port_dissociate_fd's checks in illumos' order (F, 2009+)
        long object = num(n, r, "object");
        if (object < 0 || object > Integer.MAX_VALUE) {
            c.decided = errno(Errno.EBADFD);
            return;
        }
        if (!ps.fdCache) {
            c.decided = errno(Errno.ENOENT);
            return;
        }
        File f = table(c.proc).get(object);
        if (f == null) {
            c.decided = errno(Errno.EBADFD);
            return;
        }
        Key key = new Key(object, objOf(f));
        Assoc a = ps.assocs.get(key);
        if (a == null) {
            c.decided = errno(Errno.ENOENT);
            return;
        }
        if (!a.owner.equals(c.proc)) {
            c.decided = errno(Errno.EACCES);
            return;
        }
        ps.assocs.remove(key);
        part(n, c, ps, "dissoc", op("dissoc", c.fd)).add(a.slot);
    }

    /**
     * close(2) of descriptor {@code fd} by the caller (also each descriptor of an exit, in
     * ascending order): the FD associations recorded on it go (port_close_pfd), then a port's
     * per-process or last close.
     */
    private void closeFd(int n, Call c, long fd) throws Reject {
        File f = table(c.proc).remove(fd);
        if (f == null) {
            if (c.op.equals("close")) {
                c.decided = errno(Errno.EBADF);
            }
            return;
        }
        // the caller's FD associations on the descriptor go first (port_close_pfd), a port's
        // descriptor included (nested ports)
        Key key = new Key(fd, objOf(f));
        for (PortState ps : portStates) {
            Assoc a = ps.assocs.get(key);
            if (a != null && a.owner.equals(c.proc)) {
                ps.assocs.remove(key);
                part(n, c, ps, "closefd", op("closefd", fd)).add(a.slot);
            }
        }
        if (!f.port()) {
            return;
        }
        PortState ps = portStates.get(f.id());
        Part p = c.parts.get(ps);
        if (fdLayer) {
            evict(n, c, fd);
        }
        ps.holders.remove(c.proc + "/" + fd);
        if (p != null && p.kind.equals("close")) {
            // exit closes another descriptor of the port: after the one before (more)
            ((ArrayNode) p.rec.get("more")).add(fd);
        } else {
            p = part(n, c, ps, "close", op("close", fd));
            p.kind = "close";
            p.rec.set("op", op("close", fd));
        }
        if (ps.holders.isEmpty()) {
            ps.lastCloseStarted = true;
            ps.assocs.clear();
            ps.fops.clear();
            ps.fdCache = false;
        } else {
            ps.assocs.values().removeIf(a -> a.owner.equals(c.proc));
            ps.fops.values().removeIf(a -> a.owner.equals(c.proc));
        }
    }

    /**
     * closeandsetf (the descriptor layer): the closing process's other calls on descriptor
     * {@code fd} are made stale. The spec evicts a port_get(n) itself (EventPort's closeandsetf);
     * a sleep it does not model as a holder's (port_dispatch waiting for a slot) ends as if
     * interrupted, and post_syscall reports the EINTR as EBADF (see {@link #ret}).
     */
    private void evict(int n, Call c, long fd) {
        for (Call u : inFlight.values()) {
            if (u != c && u.proc.equals(c.proc) && u.fd == fd) {
                for (Map.Entry<PortState, Part> e : u.parts.entrySet()) {
                    e.getValue().stale = true;
                    if (!HOLDERS.contains(e.getValue().kind)) {
                        interrupt(n, u, e.getKey(), e.getValue());
                    }
                }
            }
        }
    }

    /**
     * exit(2): no later call of the process starts; in the descriptor layer its other threads'
     * calls end as if interrupted (exitlwps) and each close of the exit waits for them (the
     * call record's ex); then every descriptor is closed, lowest number first.
     */
    private void exit(int n, Call c) throws Reject {
        exited.add(c.proc);
        if (fdLayer) {
            for (Call u : inFlight.values()) {
                if (u != c && u.proc.equals(c.proc)) {
                    for (Map.Entry<PortState, Part> e : u.parts.entrySet()) {
                        interrupt(n, u, e.getKey(), e.getValue());
                    }
                }
            }
        }
        for (long fd : new ArrayList<>(table(c.proc).keySet())) {
            closeFd(n, c, fd);
        }
    }

    /**
     * fcntl(fd, F_DUPFD, min) (Fio.dupfd): EBADF, EINVAL (min outside the table) and EMFILE are
     * the front end's; otherwise the return names the new descriptor.
     */
    private void dup(int n, Call c, ObjectNode r) throws Reject {
        File f = table(c.proc).get(num(n, r, "fd"));
        long min = num(n, r, "min");
        if (f == null) {
            c.decided = errno(Errno.EBADF);
        } else if (min < 0 || min >= limits.fdMax()) {
            c.decided = errno(Errno.EINVAL);
        } else if (table(c.proc).size() >= limits.fdMax()) {
            c.decided = errno(Errno.EMFILE);
        } else {
            c.dupOf = f;
            c.ngetIn = min;
        }
    }

    /**
     * dup2(fd, to) (Fio.dup2): EBADF for fd not open or to outside the table; dup2(fd, fd)
     * returns fd; otherwise what to refers to is closed as close(2) closes it (it may sleep, and
     * it evicts), and the return installs fd's file at to.
     */
    private void dup2(int n, Call c, ObjectNode r) throws Reject {
        long fd = num(n, r, "fd");
        long to = num(n, r, "to");
        File f = table(c.proc).get(fd);
        if (f == null || fd != to && (to < 0 || to >= limits.fdMax())) {
            c.decided = errno(Errno.EBADF);
            return;
        }
        if (fd == to) {
            c.decided = ApiTraceWriter.JSON.createObjectNode().put("ret", to);
            return;
        }
        c.dupOf = f;
        c.ngetIn = to;
        closeFd(n, c, to);
    }

    /** dup or dup2 returned: the new descriptor refers to the open file (a port: one more reference). */
    private void duplicated(int n, Call c, ObjectNode r, String err) throws Reject {
        long nfd = r.path("ret").asLong(-1);
        boolean ok = err.equals("OK") && (c.op.equals("dup") ? nfd >= c.ngetIn : nfd == c.ngetIn);
        if (!ok || table(c.proc).containsKey(nfd)) {
            throw new Reject(n, c.op + " returns " + status(r) + ": " + (c.op.equals("dup")
                    ? "a descriptor not open, at least " + c.ngetIn : "descriptor " + c.ngetIn) + " was due");
        }
        install(n, c.proc, nfd, c.dupOf, PortTrace.rec("dup", null).put("pid", c.proc).put("newfd", nfd));
    }

    /** Descriptor {@code fd} of {@code proc} now refers to {@code f}; a port's trace gets {@code rec}. */
    private void install(int n, String proc, long fd, File f, ObjectNode rec) {
        table(proc).put(fd, f);
        if (!f.port()) {
            objectOf.put(proc + "/" + fd, f.id());
            return;
        }
        PortState ps = portStates.get(f.id());
        ps.holders.add(proc + "/" + fd);
        ps.trace.procs.add(proc);
        ps.trace.add(rec, n);
    }

    // ---- returns ----------------------------------------------------------------------------

    private void ret(int n, ObjectNode r) throws Reject {
        String t = text(n, r, "thread");
        bindThread(n, t, text(n, r, "proc"));
        Call c = inFlight.remove(t);
        if (c == null) {
            throw new Reject(n, "thread " + t + " returns from " + r.path("op").asText() + " without a call in progress");
        }
        if (!c.op.equals(r.path("op").asText())) {
            throw new Reject(n, "thread " + t + " returns from " + r.path("op").asText() + " but entered " + c.op
                    + " (record " + c.at + ")");
        }
        if (!r.has("ret") && !r.has("errno") && !r.has("panic")) {
            throw new Reject(n, "a return without \"ret\", \"errno\" or \"panic\"");
        }
        if (c.fs) {
            fsOp(n, c, -1, r.has("ret") && r.get("ret").asLong() == 0);
            return;
        }
        if (c.decided != null) {
            String why = mismatch(c.decided, r);
            if (why != null) {
                throw new Reject(n, c.op + " returns " + status(r) + " but its front end decides " + status(c.decided)
                        + " (" + why + ")");
            }
            return;
        }
        String err = r.has("panic") ? "PANIC" : r.has("errno") ? r.get("errno").asText() : "OK";
        switch (c.op) {
            case "port_create":
                created(n, c, r, err);
                return;

            case "port_getn":
                if (!err.equals("OK") && !err.equals("ETIME") && !err.equals("PANIC") && r.has("nget")
                        && r.get("nget").asLong() != c.ngetIn) {
                    throw new Reject(n, "port_getn returns " + err + " with nget " + r.get("nget")
                            + ": libc leaves *nget (" + c.ngetIn + ") alone on errors other than ETIME");
                }
                break;
            case "port_sendn":
                sendnReturned(n, c, r);
                return;
            case "timer_create":
                if (err.equals("OK")) {
                    PortState ps = c.parts.keySet().iterator().next();
                    int slot = c.parts.get(ps).evs.get(0);
                    ps.trace.events.get(slot - 1).payObj = Long.toString(num(n, r, "ret"));
                    timers.put(c.proc + "/" + num(n, r, "ret"), Map.entry(ps, slot));
                }
                break;
            case "port_associate":
                if (!err.equals("OK") && c.fresh != null) {
                    c.port.assocs.remove(c.key);
                }
                if (!err.equals("OK") && c.fopKey != null) {
                    c.port.fops.remove(c.fopKey);
                    if (!err.equals("EAGAIN") && !err.equals("PANIC")) {
                        fsErrSeen.put(c.at, err);        // the file system said no: see fileAssociate
                    }
                }
                break;
            default:
                break;
        }
        for (Map.Entry<PortState, Part> e : c.parts.entrySet()) {
            PortState ps = e.getKey();
            Part p = e.getValue();
            ObjectNode x = result(n, p, r, err);
            if (p.kind.equals("send") || p.kind.equals("dispatch")) {
                for (int j = 0; j < p.evs.size(); j++) {
                    // post_syscall: an evicted call's EINTR is reported as EBADF
                    ((ArrayNode) x.get("outs")).add(p.stale && err.equals("EBADF") ? "EINTR" : err);
                }
            }
            ps.trace.add(PortTrace.rec("ret", c.thread).set("x", x), n);
            p.rec.set("x", x);
            if (p.kind.equals("close") && ps.lastCloseStarted && ps.holders.isEmpty()) {
                ps.lastCloseReturned = true;
            }
        }
        if (c.dupOf != null) {
            // after dup2's close of its target: on one port, that close was not the last
            duplicated(n, c, r, err);
        }
    }

    /** A return's status in the spec's terms: error, count (-1: not compared), payloads, outcomes. */
    private ObjectNode result(int n, Part p, ObjectNode r, String err) throws Reject {
        ObjectNode x = ApiTraceWriter.JSON.createObjectNode();
        x.put("err", err);
        long nget = -1;
        if ((p.kind.equals("getn") || p.kind.equals("count")) && (err.equals("OK") || err.equals("ETIME"))) {
            if (!r.path("nget").isIntegralNumber()) {
                throw new Reject(n, "port_getn returns " + err + " without an integer \"nget\"");
            }
            nget = r.get("nget").asLong();
        }
        x.put("nget", nget);
        ArrayNode evs = x.putArray("evs");
        JsonNode got = r.get("events");
        if (got != null && !got.isNull()) {
            if (!got.isArray()) {
                throw new Reject(n, "\"events\" must be a list, got " + got);
            }
            for (JsonNode ev : got) {
                evs.add(eventPay(n, ev));
            }
        }
        x.putArray("outs");
        return x;
    }

    private void created(int n, Call c, ObjectNode r, String err) throws Reject {
        long liveMin = portStates.stream().filter(p -> !p.lastCloseStarted).count();
        long liveMax = portStates.stream().filter(p -> !p.lastCloseReturned).count();
        boolean full = table(c.proc).size() >= limits.fdMax();
        String expect = liveMin + 1 > limits.portMaxIds() ? "EAGAIN"                // P:745-751
                : liveMax + 1 <= limits.portMaxIds() ? (full ? "EMFILE" : "OK") : null;
        if (expect != null && !expect.equals(err) || expect == null && !err.equals("EAGAIN") && !err.equals("OK")) {
            throw new Reject(n, "port_create returns " + status(r) + " with " + liveMin + " ports alive (limit "
                    + limits.portMaxIds() + ", descriptors " + table(c.proc).size() + " of " + limits.fdMax() + ")");
        }
        if (!err.equals("OK")) {
            return;
        }
        long fd = num(n, r, "ret");
        if (table(c.proc).containsKey(fd)) {
            throw new Reject(n, "port_create returns descriptor " + fd + ", already open in " + c.proc);
        }
        int id = portStates.size();
        PortTrace tr = new PortTrace(id, this.id + ":port" + (id + 1), c.proc, fd, limits.portMaxEvents(), fdLayer);
        PortState ps = new PortState(tr);
        ps.holders.add(c.proc + "/" + fd);
        portStates.add(ps);
        ports.add(tr);
        table(c.proc).put(fd, new File(true, id));
    }

    private void sendnReturned(int n, Call c, ObjectNode r) throws Reject {
        JsonNode errors = r.get("errors");
        int ok = 0;
        Map<PortState, List<String>> outs = new LinkedHashMap<>();
        for (int j = 0; j < c.entries.size(); j++) {
            String got = "OK";
            if (errors != null && !errors.isNull()) {
                if (!errors.isArray() || errors.size() != c.entries.size()) {
                    throw new Reject(n, "port_sendn: \"errors\" must be null or a list of " + c.entries.size() + " entries");
                }
                got = errName(n, errors.get(j));
            }
            Object e = c.entries.get(j);
            if (e instanceof Errno) {
                if (!got.equals(((Errno) e).name())) {
                    throw new Reject(n, "port_sendn entry " + j + " is not a port of " + c.proc + ": its error is "
                            + ((Errno) e).name() + ", not " + got);
                }
                continue;
            }
            ok += got.equals("OK") ? 1 : 0;
            outs.computeIfAbsent((PortState) e, k -> new ArrayList<>()).add(got);
        }
        if (r.has("errno") || r.path("ret").asLong(-1) != ok) {
            throw new Reject(n, "port_sendn returns " + status(r) + " but " + ok + " entries succeeded");
        }
        for (Map.Entry<PortState, Part> e : c.parts.entrySet()) {
            ObjectNode x = result(n, e.getValue(), r, "OK");
            outs.get(e.getKey()).forEach(((ArrayNode) x.get("outs"))::add);
            x.set("evs", ApiTraceWriter.JSON.createArrayNode());
            e.getKey().trace.add(PortTrace.rec("ret", c.thread).set("x", x), n);
            e.getValue().rec.set("x", x);
        }
    }

    // ---- sleeps and the environment ---------------------------------------------------------

    private void sleep(int n, ObjectNode r) throws Reject {
        String t = text(n, r, "thread");
        bindThread(n, t, text(n, r, "proc"));
        Call c = inFlight.get(t);
        if (c == null) {
            throw new Reject(n, "thread " + t + " is asleep without a call in progress");
        }
        if (c.decided != null) {
            throw new Reject(n, c.op + " of thread " + t + " sleeps, but its front end returns " + status(c.decided));
        }
        if (c.parts.size() == 1) {
            Map.Entry<PortState, Part> e = c.parts.entrySet().iterator().next();
            e.getKey().trace.add(PortTrace.rec("sleep", t), n);
        }
    }

    private void env(int n, ObjectNode r) throws Reject {
        String op = text(n, r, "op");
        switch (op) {
            case "fork": {
                String parent = text(n, r, "proc");
                String child = text(n, r, "child");
                if (tables.containsKey(child)) {
                    throw new Reject(n, "fork: process " + child + " already exists");
                }
                TreeMap<Long, File> copy = new TreeMap<>(table(parent));
                tables.put(child, copy);
                for (Map.Entry<Long, File> e : copy.entrySet()) {
                    File f = e.getValue();
                    if (!f.port()) {
                        objectOf.put(child + "/" + e.getKey(), f.id());
                    } else {
                        PortState ps = portStates.get(f.id());
                        ps.holders.add(child + "/" + e.getKey());
                        ps.trace.procs.add(child);
                        ps.trace.add(PortTrace.rec("fork", null).put("pid", parent).put("fd", e.getKey())
                                .put("child", child), n);
                    }
                }
                break;
            }
            case "fd_open": {
                String proc = text(n, r, "proc");
                long fd = num(n, r, "fd");
                if (table(proc).containsKey(fd)) {
                    throw new Reject(n, "fd_open returns descriptor " + fd + ", already open in " + proc);
                }
                objectOf.put(proc + "/" + fd, objects);
                table(proc).put(fd, new File(false, objects++));
                break;
            }
            case "fd_ready":
            case "fd_clear": {
                String proc = text(n, r, "proc");
                Integer obj = objectOf.get(proc + "/" + num(n, r, "fd"));
                if (obj == null) {
                    throw new Reject(n, op + ": descriptor " + r.get("fd") + " of " + proc + " is not an fd_open object");
                }
                for (PortState ps : portStates) {
                    if (assocObjs != null && assocObjs.getOrDefault(ps.trace.port, Set.of()).contains(obj)) {
                        ObjectNode x = PortTrace.rec(op.equals("fd_ready") ? "ready" : "clear", null).put("obj", obj);
                        x.put("bits", op.equals("fd_ready") ? num(n, r, "events") : 0);
                        ps.trace.add(x, n);
                    }
                }
                break;
            }
            case "timer_expire": {
                Map.Entry<PortState, Integer> tm = timers.get(text(n, r, "proc") + "/" + num(n, r, "timer"));
                if (tm != null) {
                    tm.getKey().trace.add(PortTrace.rec("expire", null).put("e", tm.getValue()), n);
                }
                break;
            }
            case "advance": {
                long ms = num(n, r, "ms");
                if (ms < 0) {
                    throw new Reject(n, "advance: time cannot go back (" + ms + " ms)");
                }
                now = ms > (Long.MAX_VALUE - now) / 1_000_000L ? Long.MAX_VALUE : now + ms * 1_000_000L;
                Set<PortState> marked = new HashSet<>();
                for (Call c : inFlight.values()) {
                    for (Map.Entry<PortState, Part> e : c.parts.entrySet()) {
                        Part p = e.getValue();
                        if (p.deadline != null && p.deadline <= now && p.rec.get("expAt").asInt() == NEVER) {
                            if (marked.add(e.getKey())) {
                                e.getKey().trace.add(PortTrace.rec("adv", null), n);
                            }
                            p.rec.put("expAt", e.getKey().trace.size());
                        }
                    }
                }
                break;
            }
            case "interrupt": {
                Call c = inFlight.get(text(n, r, "thread"));
                if (c == null) {
                    break;                            // an idle thread takes the signal in user space
                }
                for (Map.Entry<PortState, Part> e : c.parts.entrySet()) {
                    interrupt(n, c, e.getKey(), e.getValue());
                }
                break;
            }
            case "sendfd": {
                // I_SENDFD / I_RECVFD (Fio.sendfd): one more descriptor, in the receiver
                String proc = text(n, r, "proc");
                String to = text(n, r, "to");
                long fd = num(n, r, "fd");
                long nfd = num(n, r, "newfd");
                File f = table(proc).get(fd);
                if (f == null || exited.contains(to) || table(to).containsKey(nfd)) {
                    throw new Reject(n, "sendfd: descriptor " + fd + " of " + proc + " is not open, or " + to
                            + " cannot receive it as " + nfd);
                }
                install(n, to, nfd, f, PortTrace.rec("sendfd", null).put("pid", proc).put("fd", fd).put("to", to)
                        .put("newfd", nfd));
                break;
            }
            default:
                throw new Reject(n, "unknown env op \"" + op + "\"");
        }
    }

    /** An interrupt of call {@code c}'s part on a port: from here on its sleep may end with EINTR. */
    private static void interrupt(int n, Call c, PortState ps, Part p) {
        int pos = ps.trace.add(PortTrace.rec("intr", c.thread), n);
        if (p.rec.get("intrAt").asInt() == NEVER) {
            p.rec.put("intrAt", pos);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    /**
     * The object an open file is as an FD object: a file's own number, or, for a port's
     * descriptor, a number taken from the same counter when it is first associated (both
     * passes take it at the same record).
     */
    private int objOf(File f) {
        return f.port() ? portObjs.computeIfAbsent(f.id(), k -> objects++) : f.id();
    }

    private TreeMap<Long, File> table(String proc) {
        return tables.computeIfAbsent(proc, p -> new TreeMap<>());
    }

    private void bindThread(int n, String t, String proc) throws Reject {
        String bound = threadProc.putIfAbsent(t, proc);
        if (bound != null && !bound.equals(proc)) {
            throw new Reject(n, "thread " + t + " belongs to " + bound + ", not " + proc);
        }
    }

}
