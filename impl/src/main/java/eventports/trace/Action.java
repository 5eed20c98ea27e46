package eventports.trace;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/*
 * The trace vocabulary: every record the core can emit, declared once, with the fields it may
 * carry beyond the common ones (seq, action, thread, pid, port). A record's action is the
 * constant's name in lower case, which is also the spec action's name in spec/EventPort.tla
 * (or the matcher's in spec/TraceEventPort.tla) and, in camelCase, the Java method that
 * performs the step: port_send_event / PORT_SEND_EVENT / portSendEvent.
 *
 * Emitters name a constant (Tracer.emit, PortSubr.trace), so the core cannot emit a record
 * nobody declared; VocabularyTest checks that each constant is documented in
 * trace-validation/FORMAT.md and matched by TraceEventPort.tla's TraceNext, and that every
 * record a corpus run emits carries only its action's declared fields. The fields are what
 * FORMAT.md documents; which of them a given record carries depends on the path (a field
 * absent means "not applicable").
 */

/** Every record the core emits, with its fields (trace-validation/FORMAT.md). */
public enum Action {
    // the port (port.c, port_vnops.c, port_subr.c)
    PORT_CREATE("fd", "max_events", "ports", "layer"),
    PORT_ALLOC_EVENT_LOCAL("kev", "curr", "error"),
    PORT_ALLOC_EVENT_BLOCK("kev", "r", "sleep", "curr", "error"),
    PORT_SEND_EVENT("kev", "source", "noshare", "nent", "woke", "pollwakeup", "already_queued"),
    PORT_GETN("kind", "first", "max", "nget", "to", "next", "fd", "blockwoke", "blockwoke_pid"),
    PORT_QUEUE_THREAD("nget"),
    CV_WAITUNTIL_SIG("r"),
    PORT_DEQUEUE_THREAD("err", "alert"),
    PORT_CHECK_RETURN_COND("thrcnt", "signalled", "crash"),
    PORTNOWAIT("blocked", "tnent", "nmax", "getn"),
    PORT_BLOCK("taken", "tnent", "nmax", "getn", "count", "marked", "blockwoke", "blockwoke_pid"),
    PORT_COPY_EVENT("kev", "outcome", "curr", "pollwakeup"),
    PORT_UNBLOCK("delivered", "lost", "closing", "woke", "blockwoke", "blockwoke_pid", "pollwakeup"),
    PORT_ALERT("flags", "events", "error", "woke"),
    PORT_REMOVE_ALERT,
    PORT_CLOSE("lastclose", "resume", "count", "cleared_alert", "fd", "thrcnt", "signalled", "curr", "nent", "wait"),
    PORT_CLOSE_SOURCES("resume", "curr", "nent", "wait"),
    PORT_CLOSE_EVENTS("kev", "nent", "pollwk_pend", "resume"),
    PORT_DISCARD_EVENTS("blocked", "marked", "blockwoke", "blockwoke_pid"),
    PORT_INACTIVE("ports"),
    PORT_POLL("events", "revents", "nent", "curr"),
    PORT_POLLWKUP("kev", "events"),
    PORT_POLLWKDONE("closecv"),
    PORT_FREE_EVENT_LOCAL("kev", "curr", "pollwakeup"),
    PORT_FREE_EVENT("kev", "curr", "marked_free"),
    PORT_REMOVE_DONE_EVENT("kev", "removed", "blockwoke", "blockwoke_pid"),
    // the port's abstract state now and then, for validation in segments (PortCheckpoint)
    CHECKPOINT("queue", "owners", "noshares", "frees", "nent", "curr", "gen", "qflags", "alert", "alert_pid",
            "thrcnt", "getn"),
    // the descriptor layer (fio.c, fork)
    FORK("child", "fd"),
    DUP("fd", "newfd"),
    SENDFD("fd", "to", "newfd"),
    CLOSEANDSETF("fd", "stale"),
    // PORT_SOURCE_FD (port_fd.c, poll.c)
    PORT_ASSOCIATE_FD("fd", "events", "kev", "reassoc", "owner", "poll", "fired"),
    POLLWAKEUP("fd", "kev", "events"),
    PORT_FD_CALLBACK("fd", "kev", "owner", "error"),
    PORT_REMOVE_FD_OBJECT("fd", "kev", "removed"),
    PORT_CLOSE_PFD("fd", "kev", "cached"),
    PORT_DISSOCIATE_FD("fd", "kev", "active"),
    PORT_CLOSE_SOURCEFD("lastclose", "removed", "left"),
    // PORT_SOURCE_TIMER (timer.c)
    TIMER_CREATE("timer", "kev"),
    TIMER_FIRE("timer", "pending"),
    TIMER_PORT_CALLBACK("timer", "error", "owner"),
    TIMER_CLOSE_PORT("timer", "kev", "lastclose"),
    TIMER_DELETE("timer", "kev"),
    // PORT_SOURCE_FILE (port_fop.c)
    PORT_ASSOCIATE_FOP("object", "kev", "events", "reassoc"),
    PORT_FOP_SENDEVENT("object", "kev", "events"),
    PORT_CHECK_TIMESTAMP("object", "kev", "events"),
    PORT_REMOVE_FOP("object", "kev", "active", "removing"),
    PORT_FOP_EXCEP("object", "kev", "events", "send"),
    PORT_PCACHE_REMOVE_FOP("object", "kev"),
    PORT_DISSOCIATE_FOP("object", "kev", "active"),
    PORT_FOP_CALLBACK("object", "kev", "owner", "error"),
    PORT_CLOSE_FOP("lastclose", "removed"),
    // PORT_SOURCE_AIO (aio.c, aio_subr.c)
    AIORW("aiocb", "kev", "event"),
    AIO_DONE("aiocb", "kev", "result", "close_port"),
    AIO_CLOSE_PORT("lastclose", "pending");

    private static final Map<String, Action> BY_ID =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(Action::id, Function.identity()));

    private final String id;
    private final List<String> fields;

    Action(String... fields) {
        this.id = name().toLowerCase(Locale.ROOT);
        this.fields = List.of(fields);
    }

    /** The record's {@code action} value: the spec action's name. */
    public String id() {
        return id;
    }

    /** The fields a record of this action may carry besides seq, action, thread, pid and port. */
    public List<String> fields() {
        return fields;
    }

    /** The action named {@code id}, or null if the core declares none of that name. */
    public static Action of(String id) {
        return BY_ID.get(id);
    }

    @Override
    public String toString() {
        return id;
    }
}
