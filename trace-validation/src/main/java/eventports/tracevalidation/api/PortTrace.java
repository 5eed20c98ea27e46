package eventports.tracevalidation.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One port's share of an API trace, in the terms of spec/ApiTraceEventPort.tla: its records
 * (call, ret, sleep, fork, dup, sendfd, ready, clear, expire, intr, adv; see that module), the original record
 * each came from, its threads and processes, and its events: one per entry of a send, sendn or
 * dispatch, one CACHED slot per FD association, one SCACHED slot per timer, numbered from 1 in
 * the order their calls were entered.
 */
final class PortTrace {
    /** An event of this port: who allocates it, and what it is delivered with. */
    static final class Ev {
        String owner;
        boolean noshare;
        /** port_dispatch: the sleeping allocator. */
        boolean disp;
        /** "user" (USER and dispatch events), "fd" (an association's slot), "file" (a FILE watch's slot), "fexc" (a FILE watch's exception event), "timer". */
        String kind = "user";
        String thread;
        /** Position of the call record that allocates it. */
        int callAt;
        /** The event the same call allocated just before (0: none). */
        int prev;
        /** USER/dispatch: the payload; FD/timer: null (made when it fires). */
        ObjectNode pay;
        /** FD: the open file whose readiness fires it. */
        int obj;
        /** FD: the descriptor number; timer: the timer id (the delivered event's object). */
        String payObj = "";
    }

    final int port;
    final String id;
    final String creator;
    /** The descriptor port_create returned (the creator's reference: EventPort's refs). */
    final long creatorFd;
    final int maxEvents;
    /** The run had the descriptor layer above portfs (EventPort's FdLayer). */
    final boolean fdLayer;
    final Map<String, String> threads = new LinkedHashMap<>();
    final Set<String> procs = new TreeSet<>();
    final List<ObjectNode> recs = new ArrayList<>();
    final List<Integer> origin = new ArrayList<>();
    final List<Ev> events = new ArrayList<>();
    final List<ObjectNode> alerts = new ArrayList<>();
    final Set<Integer> objs = new TreeSet<>();
    /** Of objs, the other ports' descriptors (nested ports): their readiness is free here. */
    final Set<Integer> portObjs = new TreeSet<>();
    /** The objects of its FILE watches (one each): they fire while a file system call is in progress. */
    final Set<Integer> fileObjs = new TreeSet<>();
    /** This port's descriptor is associated with another port: it is polled (port_poll). */
    boolean polled;

    PortTrace(int port, String id, String creator, long creatorFd, int maxEvents, boolean fdLayer) {
        this.port = port;
        this.id = id;
        this.creator = creator;
        this.creatorFd = creatorFd;
        this.maxEvents = maxEvents;
        this.fdLayer = fdLayer;
        procs.add(creator);
    }

    /** Append a record taken from original record {@code from}; returns its position (from 1). */
    int add(ObjectNode rec, int from) {
        recs.add(rec);
        origin.add(from);
        return recs.size();
    }

    /** A record of kind {@code k} (thread {@code t} if not null). */
    static ObjectNode rec(String k, String t) {
        ObjectNode r = ApiTraceWriter.JSON.createObjectNode();
        r.put("k", k);
        if (t != null) {
            r.put("t", t);
        }
        return r;
    }

    void thread(String t, String proc) {
        threads.putIfAbsent(t, proc);
        procs.add(proc);
    }

    /** A new event; returns its number. */
    int event(Ev e) {
        events.add(e);
        return events.size();
    }

    /** A new alert payload; returns its number (EventPort's alert value). */
    int alert(ObjectNode pay) {
        alerts.add(pay);
        return alerts.size();
    }

    int size() {
        return recs.size();
    }

    /** The event numbers as a JSON list. */
    static ArrayNode list(List<Integer> evs) {
        ArrayNode a = ApiTraceWriter.JSON.createArrayNode();
        evs.forEach(a::add);
        return a;
    }
}
