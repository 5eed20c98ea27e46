----------------------------- MODULE EventPort -----------------------------
(***************************************************************************)
(* The portfs protocol of illumos event ports, at the granularity of its   *)
(* locks.                                                                  *)
(*                                                                         *)
(* Source: illumos-gate usr/src/uts/common/fs/portfs/port.c @07a48826      *)
(* (2007, "the seed", cited as port.c:N), with port_subr.c                 *)
(* (port_send_event, port_alloc_event_local, port_block/port_unblock,      *)
(* port_push_eventq) and port_vnops.c (port_close, port_discard_events,    *)
(* port_close_events), cited by file and function.  ../SOURCES.md lists    *)
(* the revisions and the citation style.                                   *)
(*                                                                         *)
(* Granularity.  portq_mutex is the variable `mutex`.  A critical section  *)
(* is a chain of actions of one thread that holds it (a named seed         *)
(* function called inside a critical section is its own action); cv waits *)
(* release it and are explicit program counters.  The delivery loop runs   *)
(* without the mutex, under the PORTQ_BLOCKED token, one action per event; *)
(* a delivered or discarded event is freed by port_free_event_local, which *)
(* takes the mutex, so those steps need it free.                           *)
(*                                                                         *)
(* Every nondeterministic choice is an action parameter (the call a thread *)
(* makes, the wait outcome, which block_cv sleeper a cv_signal wakes), so  *)
(* a trace of the Java core (same names, camelCase) can drive the spec.    *)
(*                                                                         *)
(* Profiles.  Profile = "illumos" applies only the fixes listed in the     *)
(* constant Fixes (the illumos cfgs list "GetEtime", the change current   *)
(* illumos made to PORT_GET, port.c@57fb83de; Fixes = {} is the seed).   *)
(* Profile = "corrected" applies every fix in AllFixes.  Each fix is       *)
(* described where it is applied and in model-check/FINDINGS.md.           *)
(*                                                                         *)
(* PORT_SOURCE_FD (port_fd.c; port.c:150-166, 219-231) is                 *)
(* modelled for the FD objects in Fds (a definition, {} by default, so     *)
(* that models without FD objects are unchanged): see "The FD source".     *)
(*                                                                         *)
(* The window of port_copy_event (port.c:1588-1611): a retriever offering  *)
(* an FD event to another process unlinks it and clears PORT_KEV_DONEQ,    *)
(* runs port_fd_callback and, denied, restores the flags and re-inserts it *)
(* with no lock held.  Split in two steps when CopyWindow (FALSE by        *)
(* default, so that models without it are unchanged; the window model and  *)
(* the trace spec turn it on); see "The window of port_copy_event".        *)
(*                                                                         *)
(* Port polling (port_vnops.c port_poll, port_subr.c port_pollwkup /       *)
(* port_pollwkdone; port.c:265, 1511-1521): the port's own descriptor is   *)
(* polled by another port's FD association (nested ports) or by poll(2)    *)
(* when PortPolled (FALSE by default, so that models without it are        *)
(* unchanged): see "Port polling".                                         *)
(*                                                                         *)
(* PORT_SOURCE_TIMER (TimerObjs, {} by default) and port_dispatch's       *)
(* sleeping allocator (BlockAllocEvs, {} by default) are modelled for     *)
(* trace validation; the count query's wait and invalid timeouts only     *)
(* through trace records (TraceEventPort).                                 *)
(*                                                                         *)
(* The descriptor layer above portfs (fio.c: getf, closeandsetf) is      *)
(* modelled behind the constant FdLayer: see "The descriptor layer".      *)
(* With FdLayer = FALSE close may race with any thread, as portfs on its  *)
(* own allows; with TRUE, close first evicts the closer's own threads on  *)
(* that descriptor and waits for them, as stock illumos does.  The        *)
(* descriptors holding the port are the pairs <<process, number>> of      *)
(* refs; dup and descriptor passing add pairs (trace steps only).         *)
(*                                                                         *)
(* Left out: port_sendn and the FILE source (an allocated-but-unsent      *)
(* event stands for a kernel source's reserved slot; TraceEventPort        *)
(* validates a FILE watch's slot as an FD object), copyout faults,        *)
(* the count query in models (max = 0), who polls the port (one abstract  *)
(* party per event kind, pollWait),                                       *)
(* spurious cv wake-ups, the gap between the two halves of port_close     *)
(* (source close callbacks, which only send or free events: the           *)
(* environment may do that at any time anyway), clock changes, exit(2)'s  *)
(* exitlwps (a thread leaving with EINTR is the environment's interrupt). *)
(* All events are PORT_ALLOC_DEFAULT (freed on delivery); an event is a   *)
(* USER event (shareable) or a port_dispatch NOSHARE event (callback       *)
(* port_noshare, port.c:925-931, denies it to other processes).            *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets, TLC

-----------------------------------------------------------------------------
(* Constants *)

CONSTANTS
    Threads,      \* kernel threads making port calls (model values)
    Procs,        \* processes sharing the port (fork / I_SENDFD)
    ThreadProc,   \* [Threads -> Procs]
    NumEvents,    \* events are 1..NumEvents, allocated in that order
    EvOwner,      \* [1..NumEvents -> Procs]: portkev_pid
    EvNoShare,    \* [1..NumEvents -> BOOLEAN]: PORT_KEV_NOSHARE + port_noshare
    MaxEvents,    \* port_max_events (process.max-port-events snapshot)
    Script,       \* [Threads -> Seq(SUBSET Ops)]: the calls each thread may make, in order
    Profile,      \* "illumos" or "corrected"
    Fixes,        \* fixes applied in the illumos profile (per-fix flags)
    FdLayer,      \* TRUE: the descriptor layer above portfs (stock illumos); FALSE: portfs alone
    NoThread, NoProc

Events == 1..NumEvents

AllFixes == {
    "GetEtime",      \* PORT_GET: no event and a timeout -> ETIME (current illumos, port.c@57fb83de)
    "NullHead",      \* port.c:1720 signal the head waiter only if there is one
    "AlertReturn",   \* port.c:1305 leave through port_check_return_cond
    "PassWakeup",    \* port_check_return_cond hands a consumed wake-up to the head
    "InsertOrder",   \* port.c:1825-1826 a waiter wanting the most events goes last
    "PushHead",      \* port.c:1488 push the temp list back in FRONT of the queue
    "CloseCopyout",  \* port.c:1493-1499 copy out collected events of the last thread
    "FlagOne",       \* port.c:1182 capture only PORTGET_ONE in `flag`
    "ScanGen",       \* port.c:1255,1318 per-call scan generation, not PORTQ_WAIT_EVENTS
    "CloseExitWake", \* port.c:1501 a retriever leaving a closing port wakes the head
    "PassOn",        \* port.c:1326 a waiter that cannot use a wake-up passes it down the ring
    "AssocPollwkup", \* port_fd.c port_associate_fd: its immediate FD event wakes the port's pollers
    "PollwkdoneClose", \* port_subr.c port_pollwkdone: also signal portq_closecv
    "CopyDoneq"}     \* port.c:1594-1611 an FD event keeps PORT_KEV_DONEQ until its callback accepts

Fixed(f) == Profile = "corrected" \/ f \in Fixes

\* One call of the user program (a portfs system call), on descriptor fd of
\* its process (0 unless a model or trace says otherwise: OnFd).
Op(kind, mx, ng, to, fl, v) ==
    [kind |-> kind, max |-> mx, nget |-> ng, to |-> to, aflags |-> fl, aval |-> v, fd |-> 0]
OnFd(o, d) == [o EXCEPT !.fd = d]
GetOp(to)          == Op("get", 1, 1, to, "none", 0)          \* port_get(3C)
GetnOp(mx, ng, to) == Op("getn", mx, ng, to, "none", 0)       \* port_getn(3C)
AlertOp(fl, v)     == Op("alert", 0, 0, "none", fl, v)         \* port_alert(3C), events = v # 0
UnalertOp          == Op("unalert", 0, 0, "none", "none", 0)   \* port_alert(3C), events = 0
CloseOp            == Op("close", 0, 0, "none", "none", 0)     \* close(2)
NoOp               == Op("none", 0, 0, "none", "none", 0)

Timeouts == {"null", "zero", "pos"}   \* NULL, {0,0}, a positive timespec
ModelFds == 0..1                      \* the descriptor numbers models use
Ops == {OnFd(o, d) : o \in {GetOp(to) : to \in Timeouts}
           \cup {GetnOp(m, n, to) : m \in 1..NumEvents, n \in 1..NumEvents, to \in Timeouts}
           \cup {AlertOp(fl, v) : fl \in {"SET", "UPDATE"}, v \in 1..2}
           \cup {UnalertOp, CloseOp}, d \in ModelFds}

ASSUME /\ Profile \in {"illumos", "corrected"}
       /\ Fixes \subseteq AllFixes
       /\ FdLayer \in BOOLEAN
       /\ ThreadProc \in [Threads -> Procs]
       /\ NumEvents \in Nat /\ MaxEvents \in Nat
       \* (a model may define the events' attributes for more than NumEvents)
       /\ \A e \in Events : EvOwner[e] \in Procs /\ EvNoShare[e] \in BOOLEAN
       /\ \A t \in Threads : \A i \in DOMAIN Script[t] :
             Script[t][i] \subseteq Ops /\ \A o \in Script[t][i] : o.nget <= o.max
       /\ NoThread \notin Threads /\ NoProc \notin Procs

Errs == {"OK", "EINTR", "ETIME", "EBADFD", "EBUSY", "EINVAL", "EBADF", "ALERT"}   \* "ALERT": internal, the alert return path

\* The FD objects (descriptor + open file: the key of port_fd.c's cache) and
\* the object each event slot serves ("" for a USER/dispatch event).  A
\* definition, not a constant, so that the existing models need no entry:
\* an FD model or the trace spec overrides both (Fds <- ..., FdOf <- ...).
\* An FD slot is one association's PORT_ALLOC_CACHED slot for its lifetime.
Fds == {}
FdOf(e) == ""
\* PORT_SOURCE_TIMER (timer.c): each timer's PORT_ALLOC_SCACHED slot is held
\* like an FD association's slot, so a timer is an object of Fds too, listed
\* in TimerObjs ({} by default).  See "The TIMER source".
TimerObjs == {}
\* The events port_dispatch allocates with the sleeping allocator
\* (port_alloc_event_block): {} by default, so that existing models are unchanged.
BlockAllocEvs == {}
\* The descriptors holding the port at the start: one per process, number 0
\* (a definition: a model may give a process a dup'd second descriptor).
InitRefs == Procs \X {0}
IsFd(e) == FdOf(e) \in Fds
IsTimer(e) == IsFd(e) /\ FdOf(e) \in TimerObjs
\* Slots of the PORT_SOURCE_FD source proper (a timer's events are TIMER events;
\* trace validation also leaves out the FILE source's watch slots, which it
\* validates as FD objects: TraceEventPort's TSrcFd).
SrcFd(e) == IsFd(e) /\ ~IsTimer(e)
\* Port polling: the port's descriptor may be polled (port_poll), FALSE by
\* default so that models without it are unchanged.  See "Port polling".
PortPolled == FALSE
\* The window of port_copy_event (see there): FALSE by default, so that the
\* models without it keep the denial of an FD event as one step.
CopyWindow == FALSE
\* Two liberties of condvar.c, FALSE by default (spec/README.md, "Smaller
\* gaps"): a waiter's cv_waituntil_sig may return > 0 with no cv_signal (a
\* spurious wake-up: the wait loop runs again), and an interrupted
\* port_alloc_event_block that had been cv_signal'ed passes the wake-up on to
\* another sleeper on port_cv (cv_wait_sig: "avoid consuming the cv_signal()").
SpuriousWakeups == FALSE
CvSignalPassedOn == FALSE
\* Who queues a fired FD event: pollwakeup, or port_associate_fd's own VOP_POLL.
\* They differ only for the port's pollers (port_pollwkup), so without them
\* one is enough.
PollwakeupVias == IF PortPolled THEN {"pollhead", "associate"} ELSE {"pollhead"}

-----------------------------------------------------------------------------
(* Variables, each group followed by its type invariant *)

\* The values some variables range over.
QFlags == {"ALERT", "CLOSE", "WAIT_EVENTS", "BLOCKED",     \* portq_flags bits modelled
           "POLLIN", "POLLOUT", "POLLWK_PEND"}
AlertVals == 0..2                                          \* 0: none; AlertOp's values 1..2

EvStates == {"none", "eagain", "alloc", "queued", "collected", "delivered",
             "discarded", "lost", "closed", "allocWait", "allocWoken", "eintr",
             "copying", "copyingDoneq"}
\* none: not yet allocated; eagain: allocation refused (slot limit);
\* alloc: slot reserved, not yet sent; queued: in queue or temp;
\* collected: in a retriever's buffer, its slot freed; delivered: copied out;
\* discarded: FREE, dropped by a retriever (port.c:1396-1404);
\* lost: collected, then dropped (port.c:1491-1500); closed: freed by port_close_events;
\* allocWait: port_alloc_event_block sleeps on port_cv for a slot (allocWoken: cv_signal'ed);
\* eintr: that sleep was interrupted (EINTR), no slot;
\* copying: unlinked by port_copy_event, PORT_KEV_DONEQ cleared, its callback
\* running (CopyWindow); copyingDoneq: the same with DONEQ kept (fix CopyDoneq).

Pcs == {"idle", "entry", "queue", "sleep", "dequeue", "checkret", "nowait",
        "blockWait", "deliver", "discard", "closeSources", "closeThrWait",
        "closeCurrWait", "closeEvents", "closePollWait", "panic", "closeDrain"}

\* An FD association (portfd_t + its CACHED slot, port_fd.c) through its life:
\* new: the slot is allocated (port_alloc_event_local), not yet armed;
\* armed: PORT_KEV_VALID, a pollwakeup will fire it; disarmed: cached, not
\* VALID (fired, or being re-associated/removed); gone: removed, slot freed.
FdStates == {"none", "new", "armed", "disarmed", "gone"}
FdLive == {"new", "armed", "disarmed"}

\* --- the port queue (port_queue_t) ---
VARIABLES
    mutex,        \* portq_mutex: holder or NoThread
    queue,        \* portq_list: Seq(Events)
    nent,         \* portq_nent
    temp,         \* portq_get_list (the temp list of the block holder)
    qflags,       \* portq_flags: SUBSET QFlags
    thrcnt,       \* portq_thrcnt
    getn,         \* portq_getn
    alert,        \* portq_alert: [val, pid]
    curr,         \* port_curr: allocated event structures
    gen           \* portq_gen (fix ScanGen only): number of port_send_event calls
queueVars == <<mutex, queue, nent, temp, qflags, thrcnt, getn, alert, curr, gen>>

QueueTypeInv ==
    /\ mutex \in Threads \cup {NoThread}
    /\ queue \in Seq(Events) /\ temp \in Seq(Events)
    /\ nent \in Nat /\ thrcnt \in Nat /\ getn \in Nat /\ curr \in Nat /\ gen \in Nat
    /\ qflags \subseteq QFlags
    /\ alert \in [val : AlertVals, pid : Procs \cup {NoProc}]

\* --- the waiter ring ---
VARIABLES
    ring,         \* portq_thread ring as a sequence from the head: Seq(Threads)
    portqNget     \* portq_nget: cached nget of the head (0 if none)
waiterVars == <<ring, portqNget>>

WaiterTypeInv == ring \in Seq(Threads) /\ portqNget \in Nat

\* --- threads ---
VARIABLES
    th,           \* [Threads -> ThreadLocals]: the locals of each thread's call
    sig,          \* [Threads -> BOOLEAN]: cv_signal'ed on the cv it sleeps on
    ret           \* [Threads -> Results]: result of the thread's last call, for the properties
threadVars == <<th, sig, ret>>

\* The locals of a thread in a call (IdleTh below gives them between calls).
PgtFlags == SUBSET {"ONE", "WAIT_EVENTS"}
Conts == {"none", "getn", "discard", "count"}
ThreadLocals ==
    [pc : Pcs,                 \* where the thread is
     op : Ops \cup {NoOp},     \* the call it makes
     step : Nat,               \* calls of its script made so far
     nget : Nat,               \* *nget: requested, then returned count
     loop : BOOLEAN,           \* pgt_loop
     pgtFlags : PgtFlags,      \* pgt_flags
     pgtRqtp : BOOLEAN,        \* pgt_rqtp # NULL (a deadline is remembered)
     flag : PgtFlags,          \* port.c:1182 flag = pgt->pgt_flags
     blocking : {-1, 0, 1},    \* port.c:1173 (-1: not evaluated yet)
     rqtp : BOOLEAN,           \* this pass waits with a deadline
     tnent : Nat,              \* port.c:1377 local tnent
     nmax : Nat,               \* port.c:1365
     lev : Nat,                \* port.c:1391: denied events before the delivery cursor
     buf : Seq(Events),        \* kevp[]: collected events
     err : Errs,
     wAlert : AlertVals,       \* PORTGET_ALERT with the portget_alert copy (0: none)
     cont : Conts,             \* what a thread in port_block goes on with
     scanGen : Nat,            \* pgt gen of the last scan (fix ScanGen)
     pev : Events \cup {0},    \* port.c:1393 pev while port_copy_event's callback runs (0: none)
     wr : Nat,                 \* ghost: events (or alert) written to user space
     stale : BOOLEAN]          \* t_activefd.a_stale: close(2) closed the call's descriptor (FdLayer)
\* What a finished call returned (NoRet below before the first).
Results == [kind : {"none", "get", "getn", "alert", "unalert", "close"}, err : Errs,
            nget : Nat, written : Nat]

ThreadTypeInv ==
    /\ th \in [Threads -> ThreadLocals]
    /\ sig \in [Threads -> BOOLEAN]
    /\ ret \in [Threads -> Results]

\* --- who holds the port, and ghosts ---
VARIABLES
    refs,         \* the descriptors holding the port, <<process, number>> (f_count = Cardinality(refs))
    blockHolder,  \* ghost: the thread that set PORTQ_BLOCKED for a delivery loop
    panic,        \* ghost: a NULL portget_t was dereferenced (port.c:1720)
    evState,      \* ghost: where each event is, see EvStates
    evFree,       \* [Events -> BOOLEAN]: PORT_KEV_FREE
    deliveries    \* ghost: [Events -> Nat] copyouts of each event to user space
ghostVars == <<refs, blockHolder, panic, evState, evFree, deliveries>>

GhostTypeInv ==
    /\ refs \subseteq Procs \X Nat
    /\ blockHolder \in Threads \cup {NoThread}
    /\ panic \in BOOLEAN
    /\ evState \in [Events -> EvStates] /\ evFree \in [Events -> BOOLEAN]
    /\ deliveries \in [Events -> Nat]

\* --- the FD source (port_fd.c): the association that holds a CACHED slot ---
VARIABLES
    fdAssoc       \* [Events -> FdStates]: the association owning slot e (FD slots only)
fdVars == <<fdAssoc>>

FdTypeInv ==
    /\ fdAssoc \in [Events -> FdStates]
    /\ \A e \in Events : ~IsFd(e) => fdAssoc[e] = "none"

\* --- port polling (port_vnops.c port_poll, port_subr.c port_pollwkup) ---
PollKinds == {"POLLIN", "POLLOUT"}
VARIABLES
    pollWait,     \* SUBSET PollKinds: what parties on port_pollhd wait for (port_poll found it not ready)
    wkupOwed      \* SUBSET Events: FD events pollwakeup queued and will port_pollwkup after sending
pollVars == <<pollWait, wkupOwed>>

PollTypeInv ==
    /\ pollWait \subseteq PollKinds
    /\ wkupOwed \subseteq Events /\ \A e \in wkupOwed : SrcFd(e)

vars == <<queueVars, waiterVars, threadVars, ghostVars, fdVars, pollVars>>

\* The locals of a thread between calls; a call resets them on return so
\* that finished calls leave no trace in the state (ret excepted).
IdleTh(step) ==
    [pc |-> "idle", op |-> NoOp, step |-> step, nget |-> 0, loop |-> FALSE,
     pgtFlags |-> {}, pgtRqtp |-> FALSE, flag |-> {}, blocking |-> -1,
     rqtp |-> FALSE, tnent |-> 0, nmax |-> 0, lev |-> 0, buf |-> <<>>,
     err |-> "OK", wAlert |-> 0, cont |-> "none", scanGen |-> 0, pev |-> 0, wr |-> 0,
     stale |-> FALSE]

NoRet == [kind |-> "none", err |-> "OK", nget |-> 0, written |-> 0]

-----------------------------------------------------------------------------
(* Helpers *)

\* The threads and events a step may touch: all of them when model checking.
\* Trace validation checks many traces in one TLC run and overrides these with
\* the current trace's own (state-level definitions, TraceEventPort.cfg), so
\* that the cost of a step does not grow with the size of the batch.
StepThreads == Threads
StepEvents == Events


Min(S) == CHOOSE x \in S : \A y \in S : x <= y
Proc(t) == ThreadProc[t]
\* Remove and InsertAt by SubSeq and \o, not [j \in 1..n |-> ...]: TLC builds a
\* function of 1..n with an enumerated domain, which every later s[j] searches
\* element by element (a retriever's temp list: hundreds of events in a trace).
Remove(s, i) == SubSeq(s, 1, i - 1) \o SubSeq(s, i + 1, Len(s))
InsertAt(s, i, x) == SubSeq(s, 1, i - 1) \o <<x>> \o SubSeq(s, i, Len(s))
\* f with f[e] = v for each event e of the sequence es, and f with f[e] = g[e] + 1
\* (an event twice in es counts once): one EXCEPT per event of es, where a
\* function over all events costs a pass over Events (long traces have many).
RECURSIVE SetEach(_, _, _), BumpEach(_, _, _)
SetEach(f, es, v) == IF es = <<>> THEN f ELSE SetEach([f EXCEPT ![Head(es)] = v], Tail(es), v)
BumpEach(f, g, es) == IF es = <<>> THEN f ELSE BumpEach([f EXCEPT ![Head(es)] = g[Head(es)] + 1], g, Tail(es))
Drop(s, x) == SelectSeq(s, LAMBDA y : y # x)
Occ(s, x) == Cardinality({i \in DOMAIN s : s[i] = x})
IndexOf(s, x) == CHOOSE i \in DOMAIN s : s[i] = x

\* port_noshare (port.c:925-931): a NOSHARE event is denied to other processes.
Deliverable(e, p) == ~EvNoShare[e] \/ EvOwner[e] = p

HeadNget(r) == IF r = <<>> THEN 0 ELSE th[r[1]].nget

\* cv_signal on the head waiter's portget_cv (a no-op on an empty ring is the
\* caller's business: port.c:1720 does not check).
SignalHead(s) == IF ring = <<>> THEN s ELSE [s EXCEPT ![ring[1]] = TRUE]

\* cv_signal(&portq_closecv): wakes the last closer if it waits, else is lost.
CloseSleepers == {t \in StepThreads : th[t].pc \in {"closeThrWait", "closeCurrWait", "closePollWait"}}
SignalClose(s) == [t \in StepThreads |-> IF t \in CloseSleepers THEN TRUE ELSE s[t]]

\* cv_signal(&portq_block_cv) wakes one sleeper of port_block, chosen by the
\* scheduler: the action parameter w (NoThread when nobody sleeps there).
BlockSleepers == {t \in StepThreads : th[t].pc = "blockWait" /\ ~sig[t]}
WakeChoices == IF BlockSleepers = {} THEN {NoThread} ELSE BlockSleepers
SignalBlock(s, w) == IF w = NoThread THEN s ELSE [s EXCEPT ![w] = TRUE]

\* port_subr.c port_alloc_event_local: the slot limit.
SlotFull == curr >= MaxEvents

\* port_subr.c port_free_event_local: a slot is released (every port_curr--);
\* if a poller waits for POLLOUT (PORTQ_POLLOUT) the flag is cleared and
\* pollwakeup(&port_pollhd, POLLOUT) wakes it.
FreeSlotPolls ==
    /\ qflags' = qflags \ {"POLLOUT"}
    /\ pollWait' = IF "POLLOUT" \in qflags THEN pollWait \ {"POLLOUT"} ELSE pollWait

\* port_subr.c port_push_eventq: list_move_tail appends the temp list to the queue.
\* Fix PushHead: put it in front (the comment at port.c:1472-1474).
PushEventq(q, tmp) == IF Fixed("PushHead") THEN tmp \o q ELSE q \o tmp

\* port.c:1511-1518: a retriever leaving (not the last one of a closing port)
\* wakes the pollers that found the queue empty while it held the events.
DeferredPollin(closing) == ~closing /\ "POLLIN" \in qflags

\* Wake rule W2 (port.c:1501-1509): the last retriever to leave signals the
\* head waiter if the queue holds as many events as it wants.
W2Wake(g1, n1) == g1 = 0 /\ ring # <<>> /\ n1 >= portqNget

\* The descriptor layer (FdLayer; fio.c getf, releasef, closeandsetf).  A
\* port_get(n) call holds a getf reference on its descriptor from its start to
\* its return (the count query too); close(2) of a descriptor first clears it
\* (Closing: getf fails), marks the callers of the closing process on it stale
\* and waits until they have left (Drained), and only then runs port_close.
Holder(t) == th[t].pc # "idle" /\ (th[t].op.kind \in {"get", "getn"} \/ th[t].cont = "count")
Holds(t, p, d) == FdLayer /\ Proc(t) = p /\ Holder(t) /\ th[t].op.fd = d
Closing(p, d) == \E u \in StepThreads : Proc(u) = p /\ th[u].pc = "closeDrain" /\ th[u].op.fd = d
FdOpen(p, d) == <<p, d>> \in refs /\ ~Closing(p, d)
Drained(p, d) == ~\E u \in StepThreads : Holds(u, p, d)

\* Whether a process may make a call on the port (and its event sources send):
\* it holds a descriptor of it (getf succeeds).  Without the descriptor layer
\* a call already started runs on after its own process's close, as portfs on
\* its own allows; with it, no call of a process runs past its close of the
\* descriptor the call uses: DrainInv, a consequence of the model.  The trace
\* spec overrides MayCall and CallMayStart with TRUE: real threads do their
\* getf before their first record, which may follow a concurrent close's.
MayCall(p) == \E x \in refs : x[1] = p /\ (FdLayer => ~Closing(p, x[2]))
CallMayStart(t, o) == FdLayer => FdOpen(Proc(t), o.fd)

NextOps(t) ==
    IF th[t].step < Len(Script[t]) /\ MayCall(Proc(t))
    THEN {o \in Script[t][th[t].step + 1] : CallMayStart(t, o)} ELSE {}

\* port.c:1798-1839 port_queue_thread: walk from the head to the first waiter
\* whose nget >= n and insert the new waiter before it; when there is none,
\* the walk stops at the last waiter and inserts before IT (port.c:1825-1826).
\* Fix InsertOrder: in that case append after the last waiter.
InsertPos(r, n) ==
    IF r = <<>> THEN 1                                               \* port.c:1808-1814
    ELSE IF \E i \in DOMAIN r : n <= th[r[i]].nget
    THEN Min({i \in DOMAIN r : n <= th[r[i]].nget})
    ELSE IF Fixed("InsertOrder") THEN Len(r) + 1 ELSE Len(r)

\* The front end (port.c:611-615, 630-641) after an engine pass that returned
\* error e with *nget = n and wrote w events: loop again, or return to user.
\* EngineReturn's new locals and result of thread t as state functions (the
\* folded relation, spec/FoldedEventPort.tla, evaluates them at other states).
ReturnAgain(rec, e, n) == n = 0 /\ e = "OK" /\ rec.loop
ReturnTh(rec, e, n, w) ==
    IF ReturnAgain(rec, e, n)
    THEN [IdleTh(rec.step) EXCEPT !.pc = "entry", !.op = rec.op,
            !.loop = rec.loop, !.pgtFlags = rec.pgtFlags,
            !.pgtRqtp = rec.pgtRqtp, !.scanGen = rec.scanGen,
            !.wr = rec.wr + w, !.stale = rec.stale]
    ELSE IdleTh(rec.step + 1)
ReturnRet(t, rec, e, n, w) ==
    LET \* libc/current illumos: port_get with a timeout and no event -> ETIME
        uerr0 == IF rec.op.kind = "get" /\ Fixed("GetEtime") /\ n = 0 /\ e = "OK"
                   /\ rec.op.to # "null" THEN "ETIME" ELSE e
        \* syscall.c post_syscall: a stale call's EINTR is EBADF (FdLayer)
        uerr == IF rec.stale /\ uerr0 = "EINTR" THEN "EBADF" ELSE uerr0
    IN IF ReturnAgain(rec, e, n) THEN ret[t]
       ELSE [kind |-> rec.op.kind, err |-> uerr, nget |-> n, written |-> rec.wr + w]

EngineReturn(t, rec, e, n, w) ==
    /\ th' = [th EXCEPT ![t] = ReturnTh(rec, e, n, w)]
    /\ ret' = [ret EXCEPT ![t] = ReturnRet(t, rec, e, n, w)]
\* A call that is not port_get(n) (kind: alert, unalert, close) finishes with error e.
OpReturn(t, kind, e) ==
    /\ th' = [th EXCEPT ![t] = IdleTh(th[t].step + 1)]
    /\ ret' = [ret EXCEPT ![t] = [kind |-> kind, err |-> e, nget |-> 0, written |-> 0]]

\* The for (;;) loop of port.c:1296-1333, entered with the mutex held by t
\* and t in the ring.  Leaves the loop (pc "dequeue", with th.err saying why)
\* or goes to sleep in cv_waituntil_sig (port.c:1326), releasing the mutex.
\* Returns the new thread record and the new mutex.
NewEvents(t) ==    \* port.c:1317-1318
    IF Fixed("ScanGen") THEN gen # th[t].scanGen ELSE "WAIT_EVENTS" \notin qflags
WaitLoop(t, rec) ==
    IF rec.wAlert # 0 THEN <<[rec EXCEPT !.pc = "dequeue", !.err = "ALERT"], t>>   \* port.c:1297
    ELSE IF getn = 0 /\ nent >= rec.nget
            /\ ("WAIT_EVENTS" \notin rec.pgtFlags \/ NewEvents(t))                 \* port.c:1315-1319
         THEN <<[rec EXCEPT !.pc = "dequeue", !.err = "OK"], t>>
    ELSE IF "CLOSE" \in qflags                                                    \* port.c:1321-1324
         THEN <<[rec EXCEPT !.pc = "dequeue", !.err = "EBADFD"], t>>
    ELSE <<[rec EXCEPT !.pc = "sleep"], NoThread>>                                \* port.c:1326

DeliverRec(rec) == [rec EXCEPT !.pc = "deliver",
                      !.nmax = IF rec.op.max < nent THEN rec.op.max ELSE nent,   \* port.c:1365
                      !.tnent = nent, !.lev = 0, !.buf = <<>>,                   \* port.c:1377
                      !.scanGen = gen]

\* portnowait after port_block succeeded (port.c:1365-1380): move the whole
\* queue to the temp list, set PORTQ_WAIT_EVENTS, release the mutex.
\* (port.c:1367-1373 push back a leftover temp list: never non-empty here,
\* see TempInv, so it is not modelled.)
MoveToTemp(t, rec) ==
    /\ th' = [th EXCEPT ![t] = DeliverRec(rec)]
    /\ temp' = temp \o queue                                              \* port.c:1375
    /\ queue' = <<>> /\ nent' = 0                                         \* port.c:1378
    /\ qflags' = qflags \cup {"WAIT_EVENTS", "BLOCKED"}                   \* port.c:1379, port_subr.c port_block
    /\ blockHolder' = t
    /\ mutex' = NoThread                                                  \* port.c:1380

\* port_discard_events (port_vnops.c) after port_block: mark the closing process's
\* NOSHARE queued events FREE, then port_unblock (waking block sleeper w).
DiscardMarks(p) ==
    [e \in StepEvents |-> IF evState[e] = "queued" /\ EvOwner[e] = p /\ EvNoShare[e]
                      THEN TRUE ELSE evFree[e]]

-----------------------------------------------------------------------------
(* Actions of the environment: event sources *)

\* port_subr.c port_alloc_event_local (called by port_send / port_dispatch): one
\* critical section; EAGAIN when port_curr >= port_max_events.  Only a
\* process that holds the port can allocate; events go in id order.
\* The model checker's reduction: events are allocated and sent in id order
\* (so FifoInv can compare ids).  A trace spec may override both with TRUE.
AllocInOrder(e) == IF e = 1 THEN TRUE ELSE evState[e - 1] # "none" \/ fdAssoc[e - 1] # "none"
SendInOrder(e) == \A f \in StepEvents : f < e => evState[f] # "alloc"

\* An FD slot is allocated by port_associate_fd for a key that has no
\* association yet (port_fd.c: port_cache_lookup_fp found none); it is
\* CACHED, so it is not sent now: the association holds it (state "new").
port_alloc_event_local(e) ==
    /\ evState[e] = "none" /\ AllocInOrder(e)
    /\ MayCall(EvOwner[e])
    /\ mutex = NoThread
    /\ IsFd(e) => /\ fdAssoc[e] = "none"
                  /\ ~\E f \in StepEvents : FdOf(f) = FdOf(e) /\ fdAssoc[f] \in FdLive
    /\ IF SlotFull
       THEN /\ evState' = [evState EXCEPT ![e] = "eagain"] /\ curr' = curr
            /\ UNCHANGED fdVars
       ELSE /\ curr' = curr + 1
            /\ IF IsFd(e)
               THEN fdAssoc' = [fdAssoc EXCEPT ![e] = "new"] /\ UNCHANGED evState
               ELSE evState' = [evState EXCEPT ![e] = "alloc"] /\ UNCHANGED fdVars
    /\ UNCHANGED <<mutex, queue, nent, temp, qflags, thrcnt, getn, alert, gen,
                   waiterVars, threadVars, refs, blockHolder, panic, evFree, deliveries>>
    /\ UNCHANGED pollVars

\* cv_signal(&port_cv): every release of a slot (port_free_event_local with
\* counter 0, port_free_event; port_curr-- below port_max_events) wakes one
\* sleeper of port_alloc_event_block, chosen by the scheduler (w; 0: none sleeps).
PortCvChoices ==
    LET S == {f \in StepEvents : evState[f] = "allocWait"} IN IF S = {} THEN {0} ELSE S
PortCvWake(es, w) == IF w = 0 THEN es ELSE [es EXCEPT ![w] = "allocWoken"]

\* port_subr.c port_alloc_event_block (port_dispatch, port.c:948): like
\* port_alloc_event_local, but while port_curr >= port_max_events it sleeps on
\* port_cv (cv_wait_sig, mutex released).  r: "none" the first attempt;
\* "signal" it returns from the sleep after a cv_signal and checks again;
\* "intr" a signal interrupts the sleep (EINTR, also when a cv_signal came
\* too: that wake-up is consumed, or with CvSignalPassedOn handed to another
\* sleeper on port_cv).
port_alloc_event_block(e, r) ==
    /\ mutex = NoThread /\ ~IsFd(e)
    /\ CASE r = "none"   -> evState[e] = "none" /\ AllocInOrder(e) /\ MayCall(EvOwner[e])
         [] r = "signal" -> evState[e] = "allocWoken"
         [] r = "intr"   -> evState[e] \in {"allocWait", "allocWoken"}
    /\ IF r = "intr"
       THEN /\ IF CvSignalPassedOn /\ evState[e] = "allocWoken"
               THEN \E w \in PortCvChoices : evState' = PortCvWake([evState EXCEPT ![e] = "eintr"], w)
               ELSE evState' = [evState EXCEPT ![e] = "eintr"]
            /\ curr' = curr
       ELSE IF SlotFull
       THEN evState' = [evState EXCEPT ![e] = "allocWait"] /\ curr' = curr
       ELSE evState' = [evState EXCEPT ![e] = "alloc"] /\ curr' = curr + 1
    /\ UNCHANGED <<mutex, queue, nent, temp, qflags, thrcnt, getn, alert, gen,
                   waiterVars, threadVars, refs, blockHolder, panic, evFree, deliveries>>
    /\ UNCHANGED fdVars
    /\ UNCHANGED pollVars

\* port_subr.c port_send_event: append at the tail, clear PORTQ_WAIT_EVENTS, signal
\* the closer if all slots are queued, wake rule W1 (head waiter only, and
\* only when nobody is retrieving); then, for any source but PORT_SOURCE_FD,
\* if a poller waits for POLLIN, clear PORTQ_POLLIN and pollwakeup it (an FD
\* event's pollers are pollwakeup's business: port_pollwkup below).
SendPolls(e) == "POLLIN" \in qflags /\ ~SrcFd(e)
port_send_event(e) ==
    /\ evState[e] = "alloc"
    /\ SendInOrder(e)
    /\ mutex = NoThread
    /\ queue' = Append(queue, e) /\ nent' = nent + 1
    /\ qflags' = qflags \ ({"WAIT_EVENTS"} \cup (IF SendPolls(e) THEN {"POLLIN"} ELSE {}))
    /\ pollWait' = IF SendPolls(e) THEN pollWait \ {"POLLIN"} ELSE pollWait
    /\ UNCHANGED wkupOwed
    /\ gen' = IF Fixed("ScanGen") THEN gen + 1 ELSE gen
    /\ LET s1 == IF "CLOSE" \in qflags /\ curr <= nent + 1 THEN SignalClose(sig) ELSE sig
       IN sig' = IF getn = 0 /\ ring # <<>> /\ nent + 1 >= portqNget
                 THEN SignalHead(s1) ELSE s1                                \* W1
    /\ evState' = [evState EXCEPT ![e] = "queued"]
    /\ UNCHANGED <<mutex, temp, thrcnt, getn, alert, curr, waiterVars, th, ret,
                   refs, blockHolder, panic, evFree, deliveries>>
    /\ UNCHANGED fdVars

-----------------------------------------------------------------------------
(* The FD source (port_fd.c; port.c:150-166, 219-231) *)

\* An association (portfd_t) holds one PORT_ALLOC_CACHED slot e for its
\* whole life (port_alloc_event_local above, state "new"); fdAssoc[e] is the
\* association, evState[e] the event it fired (none, alloc = fired and being
\* sent, queued, collected, delivered).  FD steps that do not take
\* portq_mutex do not wait for it.  Which process calls is a parameter only
\* where it matters (dissociation is owner-only); the calls are environment
\* steps here, as port_send's are.  Not modelled: the events mask and the
\* fired bits, the user cookie, the descriptor tables (see CopyChoices).

\* port_associate_fd (port_fd.c): a new association or a
\* re-association of an existing one arms the slot (PORT_KEV_VALID) after
\* clearing its fired events.  A re-association first takes a fired event
\* that is still queued back out (port_remove_done_event, the step before),
\* so it needs the slot not queued, and not being sent (portkev_lock).  The
\* immediate VOP_POLL that finds the object ready is pollwakeup's step.
\* "Queued" is PORT_KEV_DONEQ, which port_fd.c tests under portkev_lock
\* only: inside port_copy_event's window (evState "copying") DONEQ is clear
\* although a retriever will put the event back (CopyWindow).
port_associate_fd(e) ==
    /\ IsFd(e) /\ fdAssoc[e] \in FdLive
    /\ IsTimer(e) => fdAssoc[e] = "new"     \* timer_create arms a timer's slot once
    /\ evState[e] \notin {"alloc", "queued", "copyingDoneq"}
    /\ fdAssoc' = [fdAssoc EXCEPT ![e] = "armed"]
    /\ UNCHANGED <<queueVars, waiterVars, threadVars, ghostVars>>
    /\ UNCHANGED pollVars

\* The port branch of pollwakeup (poll.c; port_fd.c port_pollnotify), via
\* "pollhead", and port_associate_fd when its VOP_POLL finds the object
\* ready, via "associate": if armed, disarm (one event per arming,
\* port.c:162-164) and send the cached slot (port_send_event, the next
\* step).  A copy of the slot's previous event still in a retriever's buffer
\* keeps the slot from firing here (the Java core could re-fire it before
\* that retriever's port_unblock).  pollwakeup goes on with port_pollwkup
\* once the event is queued; port_associate_fd does not (fix AssocPollwkup:
\* it does too).
pollwakeup(e, via) ==
    /\ IsFd(e) /\ ~IsTimer(e) /\ fdAssoc[e] = "armed"
    /\ evState[e] \notin {"alloc", "queued", "collected", "copyingDoneq"}
    /\ fdAssoc' = [fdAssoc EXCEPT ![e] = "disarmed"]
    /\ evState' = [evState EXCEPT ![e] = "alloc"]
    /\ deliveries' = [deliveries EXCEPT ![e] = 0]      \* a new event: delivered once
    /\ wkupOwed' = IF PortPolled /\ SrcFd(e) /\ (via = "pollhead" \/ Fixed("AssocPollwkup"))
                   THEN wkupOwed \cup {e} ELSE wkupOwed
    /\ UNCHANGED <<queueVars, waiterVars, threadVars, refs, blockHolder, panic, evFree, pollWait>>

\* port_dissociate_fd (port_fd.c; port.c:225-228) by process p:
\* only the owner may (else EACCES, no step); disarm, then remove the
\* association (port_remove_done_event, port_remove_fd_object).
port_dissociate_fd(p, e) ==
    /\ IsFd(e) /\ fdAssoc[e] \in {"armed", "disarmed"} /\ evState[e] # "alloc"
    /\ p = EvOwner[e]
    /\ fdAssoc' = [fdAssoc EXCEPT ![e] = "disarmed"]
    /\ UNCHANGED <<queueVars, waiterVars, threadVars, ghostVars>>
    /\ UNCHANGED pollVars

\* port_close_pfd (port_fd.c; fio.c closeandsetf): the owner
\* closes the descriptor (port.c:165-166): the same removal as a dissociation.
port_close_pfd(e) == port_dissociate_fd(EvOwner[e], e)

\* port_remove_done_event (port_subr.c): under PORTQ_BLOCKED (port_block waits for it,
\* port_unblock wakes block sleeper w) take the slot's event out of the queue
\* if it is there.  Every removal of an association and every re-association
\* of a queued one goes through it; its association no longer fires
\* (VALID cleared or taken off the pollhead before).
port_remove_done_event(e, w) ==
    /\ IsFd(e) /\ fdAssoc[e] \in FdLive /\ evState[e] # "alloc"
    /\ mutex = NoThread /\ "BLOCKED" \notin qflags
    /\ w \in WakeChoices
    /\ IF evState[e] = "queued"
       THEN /\ queue' = Drop(queue, e) /\ nent' = nent - 1
            /\ evState' = [evState EXCEPT ![e] = "none"]
       ELSE UNCHANGED <<queue, nent, evState>>
    /\ fdAssoc' = [fdAssoc EXCEPT ![e] = "disarmed"]
    /\ sig' = SignalBlock(sig, w)
    /\ UNCHANGED <<mutex, temp, qflags, thrcnt, getn, alert, curr, gen, waiterVars,
                   th, ret, refs, blockHolder, panic, evFree, deliveries>>
    /\ UNCHANGED pollVars

\* port_remove_fd_object (port_subr.c): the association goes and its CACHED slot is
\* freed (port_free_event_local: port_curr--).  Not while a retriever's
\* port_copy_event holds the slot: the port_remove_done_event it calls first
\* waits for PORTQ_BLOCKED.
port_remove_fd_object(e) ==
    /\ IsFd(e) /\ fdAssoc[e] = "disarmed"
    /\ evState[e] \notin {"alloc", "queued", "copying", "copyingDoneq"}
    /\ e \notin wkupOwed          \* pollhead_delete waits for a pollwakeup that fired it
    /\ fdAssoc' = [fdAssoc EXCEPT ![e] = "gone"]
    /\ curr' = curr - 1
    /\ \E w \in PortCvChoices : evState' = PortCvWake(evState, w)
    /\ FreeSlotPolls
    /\ UNCHANGED <<mutex, queue, nent, temp, thrcnt, getn, alert, gen,
                   waiterVars, threadVars, refs, blockHolder, panic, evFree, deliveries, wkupOwed>>

-----------------------------------------------------------------------------
(* The TIMER source (timer.c; port.c:139-149) *)

\* A timer with SIGEV_PORT holds one PORT_ALLOC_SCACHED slot for as long as
\* it notifies the port: allocated by timer_create (port_alloc_event_local,
\* fdAssoc "new") and armed at once (port_associate_fd's step; a timer is
\* never re-armed).  Its event is collected without freeing the slot
\* (port.c:1595-1596), and only the timer's process may take it
\* (timer_port_callback: EACCES otherwise, CopyChoices).  The port drops the
\* timer (timer_close_port at a close by its process, or timer_delete) as
\* an FD association is removed: port_dissociate_fd's step (IT_PORT cleared),
\* port_remove_done_event, then port_free_event frees the slot
\* (port_remove_fd_object's step).  Not modelled: the overrun counter
\* it_pending (an expiry while the event is pending changes nothing here).

\* timer_fire (timer.c) with no expiry pending: the slot is sent (the next
\* step, port_send_event).  An expiry while the event is still queued only
\* counts an overrun: no step.  As for FD slots, a copy of the previous event
\* still in a retriever's buffer keeps the slot from being sent again here.
timer_fire(e) ==
    /\ IsTimer(e) /\ fdAssoc[e] = "armed"
    /\ evState[e] \notin {"alloc", "queued", "collected"}
    /\ evState' = [evState EXCEPT ![e] = "alloc"]
    /\ deliveries' = [deliveries EXCEPT ![e] = 0]      \* a new event: delivered once
    /\ UNCHANGED <<queueVars, waiterVars, threadVars, refs, blockHolder, panic, evFree, fdVars>>
    /\ UNCHANGED pollVars

-----------------------------------------------------------------------------
(* Port polling (port_vnops.c port_poll; port_subr.c port_pollwkup,      *)
(* port_pollwkdone; poll.c pollwakeup; port.c:265, 1511-1521)             *)

\* Who polls the port is not modelled, only what the parties on port_pollhd
\* wait for: pollWait holds an event kind while some party (poll(2), or
\* another port's FD association of this port's descriptor) found the port
\* not ready for it, and loses it when a pollwakeup of that kind reaches the
\* pollhead.  The wake-ups: port_send_event (POLLIN, any source but FD), the
\* end of a retrieval (POLLIN, port_unblock), a freed slot (POLLOUT,
\* FreeSlotPolls), and for FD events the pollwakeup that queued them
\* (port_pollwkup, port_pollwkdone).  A party that polls while another
\* pollwakeup holds PORTQ_POLLWK_PEND is counted as woken by it (illumos
\* wakes it with the next wake-up: its PORTQ_POLLIN stays set).

\* port_poll (port_vnops.c) by a party asking for ev: POLLIN is ready while
\* portq_nent > 0 (not while a retriever holds the events on its temp list),
\* POLLOUT while port_curr < port_max_events, alert mode aside; if nothing
\* of ev is ready the party waits on the pollhead and the port sets
\* PORTQ_POLLIN / PORTQ_POLLOUT (a party that finds something ready is
\* answered and leaves no state: no step).
PollReady == (IF nent > 0 THEN {"POLLIN"} ELSE {}) \cup (IF curr < MaxEvents THEN {"POLLOUT"} ELSE {})
port_poll(ev) ==
    /\ PortPolled /\ ev \subseteq PollKinds /\ ev # {}
    /\ mutex = NoThread
    /\ PollReady \cap ev = {}
    /\ qflags' = qflags \cup ev
    /\ pollWait' = pollWait \cup ev
    /\ UNCHANGED <<mutex, queue, nent, temp, thrcnt, getn, alert, curr, gen, waiterVars,
                   threadVars, ghostVars, fdVars, wkupOwed>>

\* port_pollwkup (port_subr.c), called by the pollwakeup that queued FD event
\* e: if a party waits for POLLIN and no other pollwakeup is notifying this
\* port's pollers, PORTQ_POLLIN becomes PORTQ_POLLWK_PEND; pollwakeup goes on
\* with port_pollhd (port_pollwkdone).  It runs under the FD object's
\* pollhead lock, so the association is still there (port_remove_fd_object
\* waits for it).
port_pollwkup(e) ==
    /\ e \in wkupOwed /\ evState[e] # "alloc" /\ mutex = NoThread
    /\ wkupOwed' = wkupOwed \ {e}
    /\ qflags' = IF "POLLIN" \in qflags /\ "POLLWK_PEND" \notin qflags
                 THEN (qflags \ {"POLLIN"}) \cup {"POLLWK_PEND"} ELSE qflags
    /\ UNCHANGED <<mutex, queue, nent, temp, thrcnt, getn, alert, curr, gen, waiterVars,
                   threadVars, ghostVars, fdVars, pollWait>>

\* pollwakeup(&port_pollhd, POLLIN) by the pollwakeup that set
\* PORTQ_POLLWK_PEND wakes the POLLIN parties; then port_pollwkdone
\* (port_subr.c, before PH_EXIT) clears the flag and cv_signals port_cv
\* (waking w, a sleeper of port_alloc_event_block), not portq_closecv, on
\* which port_close_events waits for the flag (fix PollwkdoneClose: it does).
port_pollwkdone(w) ==
    /\ "POLLWK_PEND" \in qflags /\ mutex = NoThread
    /\ w \in PortCvChoices
    /\ qflags' = qflags \ {"POLLWK_PEND"}
    /\ pollWait' = pollWait \ {"POLLIN"}
    /\ evState' = PortCvWake(evState, w)
    /\ sig' = IF Fixed("PollwkdoneClose") THEN SignalClose(sig) ELSE sig
    /\ UNCHANGED <<mutex, queue, nent, temp, thrcnt, getn, alert, curr, gen, waiterVars,
                   th, ret, refs, blockHolder, panic, evFree, deliveries, fdVars, wkupOwed>>

-----------------------------------------------------------------------------
(* Actions of threads: port_get / port_getn *)

\* EngineEntry's locals of t for the pass (port.c:596-641, 1182), and where the
\* pass goes with the mutex taken (port.c:1235-1288): state functions, which
\* the folded relation (spec/FoldedEventPort.tla) evaluates at other states.
EntryRec(t, o, first) ==
    LET r0 == th[t]
        pf == IF first THEN (IF o.kind = "get" THEN {"ONE"} ELSE {}) ELSE r0.pgtFlags
    IN [r0 EXCEPT !.op = o,
          !.pgtFlags = pf,                                             \* port.c:601, 626
          !.loop = IF first THEN FALSE ELSE r0.loop,                   \* port.c:602, 627
          !.pgtRqtp = IF first THEN FALSE ELSE r0.pgtRqtp,             \* port.c:603, 628
          !.flag = IF Fixed("FlagOne") THEN pf \cap {"ONE"} ELSE pf,   \* port.c:1182
          !.nget = o.nget,                                             \* port.c:612, 631 reload
          !.blocking = -1, !.rqtp = FALSE,
          !.wr = IF first THEN 0 ELSE r0.wr]
EntryPass(t, o, rec) ==
    IF rec.loop
    THEN IF NewEvents(t) /\ nent >= rec.nget                            \* port.c:1255-1258
         THEN [rec EXCEPT !.pc = "nowait"]
         ELSE [rec EXCEPT !.pc = "queue",
                 !.rqtp = rec.pgtRqtp,                                 \* port.c:1260
                 !.pgtFlags = rec.pgtFlags \cup {"WAIT_EVENTS"}]        \* port.c:1262
    ELSE IF nent >= rec.nget                                           \* port.c:1265-1266
         THEN [rec EXCEPT !.pc = "nowait"]
         ELSE IF o.to = "zero"                                         \* port.c:1280-1281
         THEN [rec EXCEPT !.pc = "nowait", !.blocking = 0]
         ELSE [rec EXCEPT !.pc = "queue",
                 !.blocking = 1, !.rqtp = (o.to = "pos")]              \* port.c:1272-1288

\* port_getn engine entry (port.c:1182-1289): one pass, started by the front
\* end either for a new call o (port.c:596-615, 618-641) or for a retry pass
\* (pgt_loop set).  Ends by returning (EBADFD, alert), or with the mutex held
\* before port_queue_thread or portnowait.
EngineEntry(t, o, first) ==
    LET rec == EntryRec(t, o, first)
    IN
    /\ mutex = NoThread
    /\ CASE "CLOSE" \in qflags ->                                      \* port.c:1221-1224
              /\ EngineReturn(t, rec, "EBADFD", rec.nget, 0)
              /\ UNCHANGED <<queueVars, waiterVars, sig>>
         [] "ALERT" \in qflags ->                                      \* port.c:1227-1233
              /\ EngineReturn(t, rec, "OK", 1, 1)
              /\ UNCHANGED <<queueVars, waiterVars, sig>>
         [] OTHER ->
              /\ thrcnt' = thrcnt + 1                                  \* port.c:1235
              /\ mutex' = t
              /\ th' = [th EXCEPT ![t] = EntryPass(t, o, rec)]
              /\ UNCHANGED <<queue, nent, temp, qflags, getn, alert, curr, gen,
                             waiterVars, sig, ret>>
    /\ UNCHANGED <<ghostVars, fdVars>>
    /\ UNCHANGED pollVars

port_getn(t) ==
    \/ th[t].pc = "idle" /\ \E o \in NextOps(t) : o.kind \in {"get", "getn"} /\ EngineEntry(t, o, TRUE)
    \/ th[t].pc = "entry" /\ EngineEntry(t, th[t].op, FALSE)

\* port.c:1292 + 1798-1839 port_queue_thread, then the first round of the
\* wait loop (port.c:1296-1326).
port_queue_thread(t) ==
    /\ th[t].pc = "queue" /\ mutex = t
    /\ LET i == InsertPos(ring, th[t].nget)
           r1 == InsertAt(ring, i, t)
           wl == WaitLoop(t, th[t])
       IN /\ ring' = r1
          /\ portqNget' = th[r1[1]].nget                               \* port.c:1837
          /\ th' = [th EXCEPT ![t] = wl[1]]
          /\ mutex' = wl[2]
    /\ UNCHANGED <<queue, nent, temp, qflags, thrcnt, getn, alert, curr, gen, sig, ret, ghostVars>>
    /\ UNCHANGED fdVars
    /\ UNCHANGED pollVars

\* When cv_waituntil_sig may return with outcome r (a state function, for
\* the folded relation too).
WaitGuard(t, r) ==
    /\ th[t].pc = "sleep" /\ mutex = NoThread
    /\ CASE r = "signal"  -> sig[t] \/ SpuriousWakeups
         [] r = "timeout" -> th[t].rqtp
         [] r = "intr"    -> TRUE
    \* MUSTRETURN (proc.h) of a stale call: condvar.c returns 0 whatever else
    \* woke it, and closeandsetf has set it running (FdLayer)
    /\ th[t].stale => r = "intr"

\* sig after a signalled waiter's wait loop wl (a state function, for the
\* folded relation too).  Fix PassOn: a waiter that goes back to sleep hands
\* the wake-up to the next waiter (towards the tail, never wrapping to the
\* head) if that one could be satisfied, as W1/W2 would have.
WokenSig(t, wl) ==
    LET i == IndexOf(ring, t)
    IN IF Fixed("PassOn") /\ wl[1].pc = "sleep" /\ i < Len(ring)
          /\ getn = 0 /\ nent >= th[ring[i + 1]].nget
       THEN [sig EXCEPT ![t] = FALSE, ![ring[i + 1]] = TRUE]
       ELSE [sig EXCEPT ![t] = FALSE]

\* port.c:1326-1332 cv_waituntil_sig returns; outcome r:
\*   "signal"  (> 0) after a cv_signal: run the wait loop again;
\*   "timeout" (-1) only with a deadline: ETIME;  "intr" (0): EINTR.
\* An interrupt or a timeout wins over a cv_signal, which is then consumed
\* (condvar.c precedence).  Timeouts and interrupts are the environment's.
cv_waituntil_sig(t, r) ==
    /\ WaitGuard(t, r)
    /\ IF r = "signal"
       THEN LET wl == WaitLoop(t, th[t])
            IN /\ th' = [th EXCEPT ![t] = wl[1]] /\ mutex' = wl[2]
               /\ sig' = WokenSig(t, wl)
       ELSE /\ sig' = [sig EXCEPT ![t] = FALSE]
            /\ th' = [th EXCEPT ![t].pc = "dequeue",
                                ![t].err = IF r = "intr" THEN "EINTR" ELSE "ETIME"]
            /\ mutex' = t
    /\ UNCHANGED <<queue, nent, temp, qflags, thrcnt, getn, alert, curr, gen,
                   waiterVars, ret, ghostVars>>
    /\ UNCHANGED fdVars
    /\ UNCHANGED pollVars

\* port.c:1336 (and 1304) port_dequeue_thread (port.c:1845-1859), then the
\* decision that follows it: the alert return (port.c:1299-1307), an early
\* return without events (port.c:1338-1344), or on to portnowait.
port_dequeue_thread(t) ==
    /\ th[t].pc = "dequeue" /\ mutex = t
    /\ LET r1 == Drop(ring, t)
           rec == th[t]
       IN /\ ring' = r1
          /\ portqNget' = HeadNget(r1)                                 \* port.c:1850, 1856
          /\ IF rec.err = "ALERT"
             THEN IF Fixed("AlertReturn")
                  \* fix: port.c:1305 portq_thrcnt-- -> port_check_return_cond(portq)
                  THEN /\ th' = [th EXCEPT ![t].pc = "checkret"]
                       /\ UNCHANGED <<mutex, thrcnt, ret>>
                  ELSE /\ thrcnt' = thrcnt - 1                         \* port.c:1305
                       /\ mutex' = NoThread                            \* port.c:1306
                       /\ EngineReturn(t, rec, "OK", 1, 1)             \* port.c:1299-1303
             ELSE /\ th' = [th EXCEPT ![t].pc =
                         IF rec.err \in {"EINTR", "EBADFD"}
                            \/ (rec.err = "ETIME" /\ rec.flag # {})     \* port.c:1338-1339
                         THEN "checkret" ELSE "nowait"]
                  /\ UNCHANGED <<mutex, thrcnt, ret>>
    /\ UNCHANGED <<queue, nent, temp, qflags, getn, alert, curr, gen, sig, ghostVars>>
    /\ UNCHANGED fdVars
    /\ UNCHANGED pollVars

\* port_check_return_cond's test of the NULL head and its signals (state
\* functions, for the folded relation too).
CheckRetPanics == "CLOSE" \in qflags /\ thrcnt - 1 # 0 /\ ring = <<>> /\ ~Fixed("NullHead")
CheckRetSig ==
    IF "CLOSE" \in qflags
    THEN IF thrcnt - 1 = 0 THEN SignalClose(sig)                        \* port.c:1717-1718
         ELSE SignalHead(sig)                                          \* port.c:1720
    ELSE IF Fixed("PassWakeup") /\ getn = 0 /\ ring # <<>> /\ nent >= portqNget
         \* fix: a waiter leaving without events passes the wake-up it may
         \* have consumed to the head (the condition of W1/W2).
         THEN SignalHead(sig) ELSE sig

\* port.c:1711-1722 port_check_return_cond, then return (port.c:1341-1343,
\* and the alert return under fix AlertReturn).  With PORTQ_CLOSE and other
\* threads left it signals the head waiter without checking that one exists
\* (port.c:1720): with an empty ring that is a NULL dereference (panic).
port_check_return_cond(t) ==
    /\ th[t].pc = "checkret" /\ mutex = t
    /\ LET rec == th[t]
           thr == thrcnt - 1                                           \* port.c:1715
       IN /\ thrcnt' = thr
          /\ IF CheckRetPanics
             THEN /\ panic' = TRUE
                  /\ th' = [th EXCEPT ![t].pc = "panic"]               \* the kernel is dead
                  /\ UNCHANGED <<mutex, sig, ret>>
             ELSE /\ sig' = CheckRetSig
                  /\ mutex' = NoThread
                  /\ UNCHANGED panic
                  /\ IF rec.err = "ALERT" THEN EngineReturn(t, rec, "OK", 1, 1)
                     ELSE EngineReturn(t, rec, rec.err, rec.nget, 0)   \* *nget untouched
    /\ UNCHANGED <<queue, nent, temp, qflags, getn, alert, curr, gen, waiterVars,
                   refs, blockHolder, evState, evFree, deliveries>>
    /\ UNCHANGED fdVars
    /\ UNCHANGED pollVars

\* portnowait (port.c:1346-1380): portq_getn++, port_block; if the block is
\* taken, wait on portq_block_cv (releasing the mutex), else move the queue.
portnowait(t) ==
    /\ th[t].pc = "nowait" /\ mutex = t
    /\ getn' = getn + 1                                                \* port.c:1363
    /\ IF "BLOCKED" \in qflags                                         \* port_subr.c port_block
       THEN /\ th' = [th EXCEPT ![t].pc = "blockWait", ![t].cont = "getn"]
            /\ mutex' = NoThread
            /\ UNCHANGED <<queue, nent, temp, qflags, blockHolder>>
       ELSE MoveToTemp(t, th[t])
    /\ UNCHANGED <<thrcnt, alert, curr, gen, waiterVars, sig, ret,
                   refs, panic, evState, evFree, deliveries>>
    /\ UNCHANGED fdVars
    /\ UNCHANGED pollVars

\* port_subr.c port_block: return from cv_wait(&portq_block_cv) after a cv_signal;
\* sleep again while PORTQ_BLOCKED, else take it and go on with the caller
\* (portnowait, port_discard_events, or the count query of port_getn with
\* max = 0, port.c:1196-1208) in the same critical section.  The count query
\* (cont "count") is not counted in portq_thrcnt and is not in any Script:
\* only a trace (TraceEventPort's MatchCountWait) puts a thread there.
port_block(t, w) ==
    /\ th[t].pc = "blockWait" /\ sig[t] /\ mutex = NoThread
    /\ IF "BLOCKED" \in qflags
       THEN /\ sig' = [sig EXCEPT ![t] = FALSE]
            /\ w = NoThread
            /\ UNCHANGED <<mutex, queue, nent, temp, qflags, th, ret, blockHolder, evFree>>
       ELSE IF th[t].cont = "getn"
       THEN /\ w = NoThread
            /\ sig' = [sig EXCEPT ![t] = FALSE]
            /\ MoveToTemp(t, [th[t] EXCEPT !.cont = "none"])
            /\ UNCHANGED <<ret, evFree>>
       ELSE IF th[t].cont = "count"
       THEN \* port.c:1201-1207: portq_tnent is 0 here (no push), read portq_nent,
            \* port_unblock: wake w; the call returns (not a Script op: step kept)
            /\ w \in WakeChoices
            /\ sig' = SignalBlock([sig EXCEPT ![t] = FALSE], w)
            /\ th' = [th EXCEPT ![t] = IdleTh(th[t].step)]
            /\ UNCHANGED <<mutex, queue, nent, temp, qflags, ret, blockHolder, evFree>>
       ELSE \* port_discard_events: mark, push (no-op), port_unblock: wake w
            /\ w \in WakeChoices
            /\ evFree' = DiscardMarks(Proc(t))
            /\ sig' = SignalBlock([sig EXCEPT ![t] = FALSE], w)
            /\ OpReturn(t, "close", "OK")
            /\ UNCHANGED <<mutex, queue, nent, temp, qflags, blockHolder>>
    /\ UNCHANGED <<thrcnt, getn, alert, curr, gen, waiterVars, refs, panic,
                   evState, deliveries>>
    /\ UNCHANGED fdVars
    /\ UNCHANGED pollVars

\* One step of the delivery loop (port.c:1392-1420), no mutex, under BLOCKED:
\* the event after the cursor is
\*   FREE      -> discarded and freed (port.c:1396-1404);
\*   denied    -> by port_noshare: put back where it was, cursor moves past it
\*                (port.c:1407-1416, port_copy_event port.c:1600-1611);
\*   otherwise -> collected into kevp[], freed (port.c:1418, 1614-1615).
\* Freeing (port_subr.c port_free_event_local) takes the mutex for port_curr--
\* and signals port_cv (PortCvWake).
\* An FD event is PORT_KEV_CACHED (WIRED): it is collected but not freed
\* (port.c:1595-1596), so that step needs no mutex.  Its callback,
\* port_fd_callback, lets the owner take it; another process only if the same
\* descriptor refers to the same open file there (port_fd.c port_fd_callback): fd tables are
\* not modelled, so for another process either outcome (CopyChoices).
\* With CopyWindow, the denial of an FD event to another process takes two
\* steps: port_fd_callback, then port_copy_event (see below).
LoopDone(t) == Len(th[t].buf) >= th[t].nmax \/ th[t].lev >= Len(temp)
CopyChoices(t, e) ==
    IF IsTimer(e) THEN {EvOwner[e] = Proc(t)}                 \* timer_port_callback
    ELSE IF IsFd(e) /\ EvOwner[e] # Proc(t) THEN BOOLEAN ELSE {Deliverable(e, Proc(t))}
Windowed(t, e) == CopyWindow /\ SrcFd(e) /\ EvOwner[e] # Proc(t)
port_copy_event(t) ==
    /\ th[t].pc = "deliver"
    /\ \/ /\ th[t].pev = 0 /\ ~LoopDone(t)
          /\ LET rec == th[t]
                 i == rec.lev + 1
                 e == temp[i]
             IN IF evFree[e]
                THEN /\ mutex = NoThread
                     /\ temp' = Remove(temp, i)
                     /\ th' = [th EXCEPT ![t].tnent = rec.tnent - 1]         \* port.c:1402
                     /\ curr' = curr - 1
                     /\ \E w \in PortCvChoices : evState' = PortCvWake([evState EXCEPT ![e] = "discarded"], w)
                     /\ evFree' = [evFree EXCEPT ![e] = FALSE]               \* port.c:1399
                     /\ FreeSlotPolls
                ELSE \E ok \in CopyChoices(t, e) :
                IF ~ok /\ Windowed(t, e) THEN FALSE                     \* port_fd_callback's step
                ELSE IF ~ok
                THEN /\ th' = [th EXCEPT ![t].lev = i]                       \* port.c:1412-1416
                     /\ UNCHANGED <<temp, curr, evState, evFree, qflags, pollWait>>
                ELSE /\ IsFd(e) \/ mutex = NoThread
                     /\ temp' = Remove(temp, i)
                     /\ th' = [th EXCEPT ![t].buf = Append(rec.buf, e)]      \* port.c:1418
                     /\ curr' = IF IsFd(e) THEN curr ELSE curr - 1           \* port.c:1595-1598
                     /\ \E w \in (IF IsFd(e) THEN {0} ELSE PortCvChoices) :
                           evState' = PortCvWake([evState EXCEPT ![e] = "collected"], w)
                     /\ UNCHANGED evFree
                     /\ IF IsFd(e) THEN UNCHANGED <<qflags, pollWait>> ELSE FreeSlotPolls
          /\ UNCHANGED fdVars
       \/ \* the end of port_fd_callback's window: port.c:1610 the saved flags written
          \* back, port.c:1412-1416 the event re-inserted after the cursor
          /\ th[t].pev # 0
          /\ LET e == th[t].pev
                 i == th[t].lev + 1
             IN /\ temp' = InsertAt(temp, i, e)
                /\ th' = [th EXCEPT ![t].pev = 0, ![t].lev = i]
                /\ evState' = [evState EXCEPT ![e] = "queued"]             \* DONEQ
                /\ fdAssoc' = IF ~Fixed("CopyDoneq") /\ fdAssoc[e] = "armed"  \* VALID
                              THEN [fdAssoc EXCEPT ![e] = "disarmed"] ELSE fdAssoc
          /\ UNCHANGED <<curr, evFree, qflags, pollWait>>
    /\ UNCHANGED <<mutex, queue, nent, thrcnt, getn, alert, gen, waiterVars,
                   sig, ret, refs, blockHolder, panic, deliveries, wkupOwed>>

\* The window of port_copy_event (CopyWindow).  port.c:1588-1611 runs with no
\* lock held, under PORTQ_BLOCKED only: the event is off the temp list with
\* PORT_KEV_DONEQ cleared (WIRED) while port_fd_callback runs in the
\* retriever's process (getf; port_fd.c).  Denied (EACCES), port_copy_event
\* writes back the whole flags word it saved at port.c:1594 (DONEQ set,
\* VALID clear: the association fired, FdOneShotInv) and the loop re-inserts
\* the event after the cursor (port.c:1412-1416).  Meanwhile the owner's
\* port_associate_fd finds DONEQ clear (portkev_lock only) and does not take
\* the event back: it arms, and its VOP_POLL or a pollwakeup may send the
\* slot to the port queue; the write-back then clears VALID again and the
\* re-insertion links the kevent into the temp list too (OneListInv,
\* CopyFlagsInv; FINDINGS.md F14).  A slot fired and not yet sent
\* (evState "alloc") is "queued" after the write-back: port_send_event
\* finds DONEQ set and does nothing (it is not enabled).  port_remove_done_event
\* and port_remove_fd_object wait for PORTQ_BLOCKED, so the slot is not
\* freed in the window.  Fix CopyDoneq: DONEQ is cleared only when the
\* callback accepts and a denial writes nothing back, so port_associate_fd
\* sees the event queued and waits in port_remove_done_event.
\* Two steps: port_fd_callback (port.c:1588 list_remove, 1594-1596 the flags
\* saved and DONEQ cleared, 1600-1605 the callback denies: the window opens)
\* and port_copy_event (its second disjunct: the window closes).  Only
\* denials are split: the callback's verdict depends on the retriever's
\* descriptor table alone, which nothing here changes, so it may be taken as
\* the window opens; an accepted event writes nothing back, and for its
\* owner, or for a timer (it_pending keeps timer_fire from sending,
\* timer.c), the window changes nothing the spec represents.
port_fd_callback(t) ==
    /\ th[t].pc = "deliver" /\ th[t].pev = 0 /\ ~LoopDone(t)
    /\ LET i == th[t].lev + 1
           e == temp[i]
       IN /\ ~evFree[e] /\ Windowed(t, e) /\ FALSE \in CopyChoices(t, e)
          /\ temp' = Remove(temp, i)
          /\ th' = [th EXCEPT ![t].pev = e]
          /\ evState' = [evState EXCEPT ![e] = IF Fixed("CopyDoneq") THEN "copyingDoneq" ELSE "copying"]
    /\ UNCHANGED <<mutex, queue, nent, qflags, thrcnt, getn, alert, curr, gen, waiterVars,
                   sig, ret, refs, blockHolder, panic, evFree, deliveries, fdVars, pollVars>>

\* The retriever's exit (port.c:1466-1562): portq_tnent = tnent - nevents,
\* then one critical section: port_unblock (waking block sleeper w),
\* port_push_eventq of the leftover temp list to the TAIL of the queue
\* (port_subr.c: list_move_tail), portq_getn--, --portq_thrcnt: the last thread of a
\* closing port signals the closer and drops what it collected
\* (port.c:1491-1500); otherwise wake rule W2 (port.c:1501-1509) and the
\* deferred POLLIN wake-up: the queue was empty while its events were on the
\* temp list, so a poller may have set PORTQ_POLLIN (port.c:1511-1521).
\* Then, without the mutex: copyout (port.c:1523-1527), the retry set-up
\* (port.c:1530-1558) and the front end's loop test.
port_unblock(t, w) ==
    /\ th[t].pc = "deliver" /\ th[t].pev = 0 /\ LoopDone(t) /\ mutex = NoThread
    /\ w \in WakeChoices
    /\ LET rec == th[t]
           nev == Len(rec.buf)
           tn == rec.tnent - nev                                       \* port.c:1469
           q1 == IF tn > 0                                             \* port.c:1483-1489
                 THEN PushEventq(queue, temp)
                 ELSE queue
           n1 == IF tn > 0 THEN nent + tn ELSE nent
           g1 == getn - 1                                              \* port.c:1490
           thr == thrcnt - 1                                           \* port.c:1491
           closing == thr = 0 /\ "CLOSE" \in qflags
           drop == closing /\ ~Fixed("CloseCopyout")
           s0 == SignalBlock(sig, w)                                   \* port_subr.c port_unblock
           s1 == IF closing THEN SignalClose(s0)                       \* port.c:1494
                 \* fix CloseExitWake: pass port_close's wake-up on, as
                 \* port_check_return_cond does (port.c:1720).
                 ELSE IF Fixed("CloseExitWake") /\ "CLOSE" \in qflags
                 THEN SignalHead(s0)
                 ELSE IF W2Wake(g1, n1) THEN SignalHead(s0) ELSE s0   \* port.c:1501-1508
           \* port.c:1530-1558: nothing collected, no error, first pass, may block
           setup == nev = 0 /\ rec.err = "OK" /\ ~rec.loop /\ rec.blocking # 0
           blk == IF rec.blocking = -1                                 \* port.c:1532-1546
                  THEN IF rec.op.to = "zero" THEN 0 ELSE 1
                  ELSE rec.blocking
           rq == IF rec.blocking = -1 THEN rec.op.to = "pos" ELSE rec.rqtp
           \* port.c:1534-1538: the timeout is validated only now (a first pass
           \* that found enough events did not look at it): an invalid one
           \* returns EINVAL with *nget = 0.  ("invalid" is in no model's Ops:
           \* only traces reach it.)
           inval == setup /\ rec.blocking = -1 /\ rec.op.to = "invalid"
           rec1 == IF setup /\ ~inval
                   THEN [rec EXCEPT !.pgtRqtp = rq, !.loop = (blk # 0)] \* port.c:1546-1557
                   ELSE rec
           \* fix CloseCopyout: the last thread of a closing port returns what
           \* it collected (EBADFD only if it collected nothing).
           e1 == IF closing THEN (IF drop \/ nev = 0 THEN "EBADFD" ELSE "OK")
                 ELSE IF inval THEN "EINVAL"
                 ELSE rec.err
           wrote == IF drop THEN 0 ELSE nev
           st == IF drop THEN "lost" ELSE "delivered"
           pin == DeferredPollin(closing)                              \* port.c:1515-1518
       IN /\ queue' = q1 /\ nent' = n1 /\ temp' = IF tn > 0 THEN <<>> ELSE temp
          /\ qflags' = qflags \ ({"BLOCKED"} \cup (IF pin THEN {"POLLIN"} ELSE {}))
          /\ pollWait' = IF pin THEN pollWait \ {"POLLIN"} ELSE pollWait
          /\ blockHolder' = NoThread
          /\ getn' = g1 /\ thrcnt' = thr
          /\ sig' = s1
          /\ evState' = SetEach(evState, rec.buf, st)
          /\ deliveries' = IF drop THEN deliveries ELSE BumpEach(deliveries, deliveries, rec.buf)
          /\ EngineReturn(t, rec1, e1, IF drop THEN 0 ELSE nev, wrote)  \* port.c:1498, 1561
    /\ UNCHANGED <<mutex, alert, curr, gen, waiterVars, refs, panic, evFree, wkupOwed>>
    /\ UNCHANGED fdVars

-----------------------------------------------------------------------------
(* Actions of threads: alert and close *)

\* port.c:1072-1133 port_alert (events # 0): EBUSY for UPDATE in alert mode;
\* otherwise set PORTQ_ALERT and the port's record, and give every waiter
\* not yet alerted a private copy and a cv_signal.
port_alert(t) == \E o \in NextOps(t) :
    /\ th[t].pc = "idle" /\ o.kind = "alert"
    /\ mutex = NoThread
    /\ IF o.aflags = "UPDATE" /\ "ALERT" \in qflags                    \* port.c:1087-1092
       THEN /\ OpReturn(t, "alert", "EBUSY")
            /\ UNCHANGED <<qflags, alert, sig>>
       ELSE /\ qflags' = qflags \cup {"ALERT"}                         \* port.c:1099
            /\ alert' = [val |-> o.aval, pid |-> Proc(t)]              \* port.c:1100-1103
            /\ LET fresh == {w \in StepThreads : (\E j \in DOMAIN ring : ring[j] = w) /\ th[w].wAlert = 0}
               IN /\ th' = [w \in StepThreads |->
                              IF w = t THEN IdleTh(th[t].step + 1)
                              ELSE IF w \in fresh THEN [th[w] EXCEPT !.wAlert = o.aval] \* port.c:1122-1127
                              ELSE th[w]]
                  /\ sig' = [w \in StepThreads |-> IF w \in fresh THEN TRUE ELSE sig[w]] \* port.c:1128
            /\ ret' = [ret EXCEPT ![t] = [kind |-> "alert", err |-> "OK", nget |-> 0, written |-> 0]]
    /\ UNCHANGED <<mutex, queue, nent, temp, thrcnt, getn, curr, gen, waiterVars, ghostVars>>
    /\ UNCHANGED fdVars
    /\ UNCHANGED pollVars

\* port.c:697-700, 1138-1144 port_remove_alert: clear PORTQ_ALERT.
port_remove_alert(t) == \E o \in NextOps(t) :
    /\ th[t].pc = "idle" /\ o.kind = "unalert"
    /\ mutex = NoThread
    /\ qflags' = qflags \ {"ALERT"}
    /\ th' = [th EXCEPT ![t] = IdleTh(th[t].step + 1)]
    /\ ret' = [ret EXCEPT ![t] = [kind |-> "unalert", err |-> "OK", nget |-> 0, written |-> 0]]
    /\ UNCHANGED <<mutex, queue, nent, temp, thrcnt, getn, alert, curr, gen,
                   waiterVars, sig, ghostVars>>
    /\ UNCHANGED fdVars
    /\ UNCHANGED pollVars

\* The end of port_close_events (port_vnops.c): the queue is empty; wait on
\* portq_closecv while PORTQ_POLLWK_PEND (a pollwakeup is still notifying
\* this port's pollers), else the close returns.
CloseEventsEnd(t, s) ==
    IF "POLLWK_PEND" \in qflags
    THEN th' = [th EXCEPT ![t].pc = "closePollWait"] /\ sig' = s /\ UNCHANGED ret
    ELSE OpReturn(t, "close", "OK") /\ sig' = s

\* The second half of the last close (port_vnops.c port_close): wait on portq_closecv
\* while port_curr > portq_nent, then discard the queue (port_close_events).
CloseCurr(t, s) ==
    IF curr > nent
    THEN th' = [th EXCEPT ![t].pc = "closeCurrWait"] /\ sig' = s /\ UNCHANGED ret
    ELSE IF queue = <<>>
    THEN CloseEventsEnd(t, s)
    ELSE th' = [th EXCEPT ![t].pc = "closeEvents"] /\ sig' = s /\ UNCHANGED ret

\* The FD associations a close of the port by t removes through the FD
\* source's close callback (port_fd.c port_close_sourcefd): those owned by
\* t's process (even if it holds another descriptor of the port: the count
\* VOP_CLOSE gets does not say), or all of them at the last close (refs = {}).
CloseTargets(t) ==
    {e \in StepEvents : IsFd(e) /\ fdAssoc[e] \in FdLive /\ (refs = {} \/ EvOwner[e] = Proc(t))}

\* The last close after its thrcnt wait: the sources' close callbacks run
\* between the two waits (port_vnops.c port_close); with FD associations left the
\* closer removes them first (pc closeSources), else CloseCurr at once.
CloseSrc(t, s) ==
    IF CloseTargets(t) # {}
    THEN th' = [th EXCEPT ![t].pc = "closeSources"] /\ sig' = s /\ UNCHANGED ret
    ELSE CloseCurr(t, s)

\* close(2) runs VOP_CLOSE under the file's f_tlock (fio.c closef), so the
\* closes of one port are serialized.
InClose(t) == th[t].pc \in {"discard", "closeSources", "closeThrWait", "closeCurrWait", "closeEvents",
                            "closePollWait"}
              \/ (th[t].pc = "blockWait" /\ th[t].cont = "discard")

\* close(2) of descriptor o.fd of the port by a thread of process p
\* (port_vnops.c port_close, called by closef with the open file's count,
\* Cardinality(refs)).  Not the last reference (another descriptor still
\* holds it, of another process or a dup of this one): clear the alert if p
\* set it, then port_discard_events.  The last reference: set PORTQ_CLOSE;
\* while portq_thrcnt > 0 signal the head waiter (if any) and wait on
\* portq_closecv; then CloseSrc.  Also the closer's resumptions.  (A
\* per-process close whose process owns FD associations removes them first,
\* port_close_sourcefd, then port_discard_events.)  Without the descriptor
\* layer it starts from the call; with it, once closeandsetf's wait is over.
CloseStart(t, o) ==
    /\ mutex = NoThread /\ ~\E u \in StepThreads : InClose(u)
    /\ <<Proc(t), o.fd>> \in refs
    /\ refs' = refs \ {<<Proc(t), o.fd>>}
    /\ IF refs = {<<Proc(t), o.fd>>}
       THEN /\ qflags' = qflags \cup {"CLOSE"}
            /\ IF thrcnt > 0
               THEN /\ th' = [th EXCEPT ![t].pc = "closeThrWait", ![t].op = o]
                    /\ sig' = SignalHead(sig)
                    /\ UNCHANGED ret
               ELSE IF \E e \in StepEvents : IsFd(e) /\ fdAssoc[e] \in FdLive
               THEN /\ th' = [th EXCEPT ![t].pc = "closeSources", ![t].op = o]
                    /\ UNCHANGED <<sig, ret>>
               ELSE CloseCurr(t, sig)
            /\ UNCHANGED alert
       ELSE /\ qflags' = IF "ALERT" \in qflags /\ alert.pid = Proc(t)
                         THEN qflags \ {"ALERT"} ELSE qflags
            /\ th' = [th EXCEPT ![t].pc =
                      IF CloseTargets(t) # {} THEN "closeSources" ELSE "discard",
                                 ![t].op = o]
            /\ UNCHANGED <<sig, ret, alert>>
    /\ UNCHANGED <<mutex, queue, nent, temp, thrcnt, getn, curr, gen, waiterVars,
                   blockHolder, panic, evState, evFree, deliveries, fdVars, pollVars>>

port_close(t) ==
    \/ /\ ~FdLayer /\ th[t].pc = "idle"
       /\ \E o \in NextOps(t) : o.kind = "close" /\ CloseStart(t, o)
    \/ /\ FdLayer /\ th[t].pc = "closeDrain" /\ Drained(Proc(t), th[t].op.fd)
       /\ CloseStart(t, th[t].op)
    \/ /\ th[t].pc = "closeThrWait" /\ sig[t] /\ mutex = NoThread
       /\ LET s0 == [sig EXCEPT ![t] = FALSE]
          IN IF thrcnt > 0
             THEN /\ sig' = SignalHead(s0)
                  /\ UNCHANGED <<th, ret>>
             ELSE CloseSrc(t, s0)
       /\ UNCHANGED <<queueVars, waiterVars, ghostVars, fdVars, pollVars>>
    \/ /\ th[t].pc = "closeCurrWait" /\ sig[t] /\ mutex = NoThread
       /\ CloseCurr(t, [sig EXCEPT ![t] = FALSE])
       /\ UNCHANGED <<queueVars, waiterVars, ghostVars, fdVars, pollVars>>

\* port_vnops.c port_close_events: one queued event per critical section: unlink, run
\* its close callback, free it; after the last one CloseEventsEnd.  Also the
\* closer's return from its wait for PORTQ_POLLWK_PEND (woken on portq_closecv).
port_close_events(t) ==
    \/ /\ th[t].pc = "closeEvents" /\ mutex = NoThread /\ queue # <<>>
       /\ LET e == Head(queue) IN
          /\ queue' = Tail(queue) /\ nent' = nent - 1 /\ curr' = curr - 1
          /\ \E w \in PortCvChoices : evState' = PortCvWake([evState EXCEPT ![e] = "closed"], w)
          /\ evFree' = [evFree EXCEPT ![e] = FALSE]
       /\ IF Len(queue) = 1 THEN CloseEventsEnd(t, sig) ELSE UNCHANGED <<th, ret, sig>>
       /\ FreeSlotPolls
       /\ UNCHANGED <<mutex, temp, thrcnt, getn, alert, gen, waiterVars,
                      refs, blockHolder, panic, deliveries, wkupOwed>>
       /\ UNCHANGED fdVars
    \/ /\ th[t].pc = "closePollWait" /\ sig[t] /\ mutex = NoThread
       /\ CloseEventsEnd(t, [sig EXCEPT ![t] = FALSE])
       /\ UNCHANGED <<queueVars, waiterVars, ghostVars, fdVars, pollVars>>

\* port_vnops.c port_discard_events (per-process close): port_block, mark the
\* process's NOSHARE events FREE, port_push_eventq (a no-op: the temp list
\* is empty while nobody holds the block), port_unblock waking sleeper w.
port_discard_events(t, w) ==
    /\ th[t].pc = "discard" /\ mutex = NoThread
    /\ IF "BLOCKED" \in qflags
       THEN /\ w = NoThread
            /\ th' = [th EXCEPT ![t].pc = "blockWait", ![t].cont = "discard"]
            /\ UNCHANGED <<sig, ret, evFree>>
       ELSE /\ w \in WakeChoices
            /\ evFree' = DiscardMarks(Proc(t))
            /\ sig' = SignalBlock(sig, w)
            /\ OpReturn(t, "close", "OK")
    /\ UNCHANGED <<queueVars, waiterVars, refs, blockHolder, panic, evState, deliveries>>
    /\ UNCHANGED fdVars
    /\ UNCHANGED pollVars

\* port_close_sourcefd (port_fd.c), the FD source's close callback, returns
\* when the associations the close removes are gone (CloseTargets): the last
\* close goes on to wait for outstanding slots, a per-process close to
\* port_discard_events.
port_close_sourcefd(t) ==
    /\ th[t].pc = "closeSources" /\ CloseTargets(t) = {}
    /\ IF refs = {}
       THEN CloseCurr(t, sig)
       ELSE th' = [th EXCEPT ![t].pc = "discard"] /\ UNCHANGED <<sig, ret>>
    /\ UNCHANGED <<queueVars, waiterVars, ghostVars, fdVars, pollVars>>

-----------------------------------------------------------------------------
(* The descriptor layer (FdLayer; fio.c) *)

\* closeandsetf (fio.c), close(2)'s first step in the descriptor layer: the
\* descriptor's slot is cleared (Closing: getf fails from now on), every other
\* thread of the closing process in a call on that descriptor is marked stale
\* (a_stale; its interruptible sleep ends: cv_waituntil_sig's outcome is then
\* "intr", and post_syscall reports EBADF, EngineReturn), and the closer waits
\* on uf_closing_cv until their references drain (pc "closeDrain"); then
\* port_close runs (closef).  Fio.closeandsetf in the Java core.
closeandsetf(t) == \E o \in NextOps(t) :
    /\ FdLayer /\ th[t].pc = "idle" /\ o.kind = "close"
    /\ FdOpen(Proc(t), o.fd)
    /\ th' = [u \in StepThreads |->
                IF u = t THEN [th[t] EXCEPT !.pc = "closeDrain", !.op = o]
                ELSE IF Holds(u, Proc(t), o.fd) THEN [th[u] EXCEPT !.stale = TRUE]
                ELSE th[u]]
    /\ UNCHANGED <<queueVars, waiterVars, sig, ret, ghostVars, fdVars, pollVars>>

-----------------------------------------------------------------------------
(* The specification *)

Init ==
    /\ mutex = NoThread /\ queue = <<>> /\ nent = 0 /\ temp = <<>> /\ qflags = {}
    /\ thrcnt = 0 /\ getn = 0 /\ alert = [val |-> 0, pid |-> NoProc] /\ curr = 0 /\ gen = 0
    /\ ring = <<>> /\ portqNget = 0
    /\ th = [t \in Threads |-> IdleTh(0)]
    /\ sig = [t \in Threads |-> FALSE]
    /\ ret = [t \in Threads |-> NoRet]
    /\ refs = InitRefs /\ blockHolder = NoThread /\ panic = FALSE
    /\ evState = [e \in Events |-> "none"] /\ evFree = [e \in Events |-> FALSE]
    /\ deliveries = [e \in Events |-> 0]
    /\ fdAssoc = [e \in Events |-> "none"]
    /\ pollWait = {} /\ wkupOwed = {}

\* Steps a thread takes inside a call it has started: these get weak fairness.
\* Starting a call and the environment's timeouts/interrupts do not.
ThreadStep(t) ==
    \/ th[t].pc = "entry" /\ port_getn(t)
    \/ port_queue_thread(t)
    \/ cv_waituntil_sig(t, "signal")
    \/ port_dequeue_thread(t)
    \/ port_check_return_cond(t)
    \/ portnowait(t)
    \/ \E w \in WakeChoices \cup {NoThread} : port_block(t, w)
    \/ port_copy_event(t)
    \/ port_fd_callback(t)
    \/ \E w \in WakeChoices : port_unblock(t, w)
    \/ th[t].stale /\ cv_waituntil_sig(t, "intr")    \* closeandsetf's setrun
    \/ th[t].pc # "idle" /\ port_close(t)
    \/ port_close_events(t)
    \/ \E w \in WakeChoices \cup {NoThread} : port_discard_events(t, w)
    \* the closer removes the FD associations of its close itself
    \/ /\ th[t].pc = "closeSources"
       /\ \E e \in CloseTargets(t) : \/ \E w \in WakeChoices : port_remove_done_event(e, w)
                                   \/ port_remove_fd_object(e)
    \/ port_close_sourcefd(t)

Next ==
    \/ \E t \in Threads :
        \/ port_getn(t)
        \/ port_queue_thread(t)
        \/ \E r \in {"signal", "timeout", "intr"} : cv_waituntil_sig(t, r)
        \/ port_dequeue_thread(t)
        \/ port_check_return_cond(t)
        \/ portnowait(t)
        \/ \E w \in Threads \cup {NoThread} : port_block(t, w)
        \/ port_copy_event(t)
        \/ port_fd_callback(t)
        \/ \E w \in Threads \cup {NoThread} : port_unblock(t, w)
        \/ port_alert(t)
        \/ port_remove_alert(t)
        \/ port_close(t)
        \/ port_close_events(t)
        \/ \E w \in Threads \cup {NoThread} : port_discard_events(t, w)
        \/ port_close_sourcefd(t)
        \/ closeandsetf(t)
    \/ \E e \in Events : port_alloc_event_local(e)
    \/ \E e \in BlockAllocEvs, r \in {"none", "signal", "intr"} : port_alloc_event_block(e, r)
    \/ \E e \in Events : port_send_event(e)
    \* the FD source (all disabled without FD objects; each action checks IsFd)
    \/ \E e \in Events : port_associate_fd(e)
    \/ \E e \in Events, via \in PollwakeupVias : pollwakeup(e, via)
    \/ \E e \in Events : port_dissociate_fd(EvOwner[e], e)    \* = port_close_pfd(e)
    \/ \E e \in Events, w \in Threads \cup {NoThread} : port_remove_done_event(e, w)
    \/ \E e \in Events : port_remove_fd_object(e)
    \/ \E e \in Events : timer_fire(e)
    \* port polling (all disabled unless PortPolled)
    \/ \E ev \in SUBSET PollKinds : port_poll(ev)
    \/ \E e \in Events : port_pollwkup(e)
    \/ \E w \in Events \cup {0} : port_pollwkdone(w)

\* Event sources send the slots they reserved (the source contract that
\* port_close relies on, port.c:293-301): weak fairness on port_send_event;
\* a pollwakeup that queued an FD event finishes (port_pollwkup, port_pollwkdone).
Fairness ==
    /\ \A t \in Threads : WF_vars(ThreadStep(t))
    /\ WF_vars(\E e \in Events : port_send_event(e))
    /\ WF_vars(\E e \in Events : port_pollwkup(e))
    /\ WF_vars(\E w \in Events \cup {0} : port_pollwkdone(w))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Properties.  Items 1-5 are what the protocol keeps by construction;    *)
(* 6-10 are what port.c's comments and the man pages promise (whether the *)
(* seed keeps each promise is for TLC to say: model-check/FINDINGS.md).    *)
(*  1. nent and tnent count the queue and the temp list; a temp list       *)
(*     exists only while its owner holds PORTQ_BLOCKED.                    *)
(*  2. every event is in one place at a time and delivered at most once.   *)
(*  3. PORTQ_BLOCKED is held by at most one thread, the one delivering.    *)
(*  4. thrcnt and getn count the threads inside port_getn.                 *)
(*  5. portq_nget is the head waiter's count.                              *)
(*  6. waiters asking for fewer events are woken first (port.c:1792-1797). *)
(*  7. no waiter sleeps while nobody retrieves and enough events it may    *)
(*     take are queued (port.c:55-58, 1359-1361).                          *)
(*  8. a last close terminates, and never signals a waiter that does not  *)
(*     exist (port_vnops.c port_close).                                    *)
(*  9. events are delivered in the order they were queued (port.c:52-53,  *)
(*     1472-1474).                                                         *)
(* 10. the count port_getn reports is the number of events it wrote       *)
(*     (port_getn(3C)), and port_get returns 0 only with an event.         *)
(* 11. a party polling the port's descriptor is not left asleep while the  *)
(*     port is ready for what it waits for (port_vnops.c port_poll:        *)
(*     "POLLIN: events are available in the event queue", "POLLOUT: event *)
(*     queue can still accept events").                                    *)

(* Properties: structure (items 1-5) *)

InRing(t) == \E j \in DOMAIN ring : ring[j] = t
\* Threads counted in portq_thrcnt: from port.c:1235 to their decrement.
CountedPcs == {"queue", "sleep", "dequeue", "checkret", "nowait", "deliver"}
Counted(t) == th[t].pc \in CountedPcs \/ (th[t].pc = "blockWait" /\ th[t].cont = "getn")
Retrieving(t) == th[t].pc = "deliver" \/ (th[t].pc = "blockWait" /\ th[t].cont = "getn")

\* item 1: portq_nent counts the queue; the temp list exists only while its
\* owner holds PORTQ_BLOCKED in the delivery loop (port.c:1346-1380, 1466-1489), and then its
\* length is the owner's tnent - nevents (port.c:1469).
QueueCountInv == nent = Len(queue)
TempInv ==
    temp # <<>> =>
        /\ "BLOCKED" \in qflags /\ getn >= 1 /\ blockHolder # NoThread
        /\ th[blockHolder].pc = "deliver"
        \* (less the event port_copy_event's window holds off the list)
        /\ Len(temp) + (IF th[blockHolder].pev # 0 THEN 1 ELSE 0)
              = th[blockHolder].tnent - Len(th[blockHolder].buf)

\* item 3: PORTQ_BLOCKED is held by at most one delivery loop.
BlockedInv ==
    /\ ("BLOCKED" \in qflags) <=> (blockHolder # NoThread)
    /\ \A t \in Threads : th[t].pc = "deliver" <=> t = blockHolder

\* item 4: portq_thrcnt and portq_getn count the threads inside port_getn.
ThrcntInv == thrcnt = Cardinality({t \in Threads : Counted(t)})
GetnInv == getn = Cardinality({t \in Threads : Retrieving(t)})

\* item 5: portq_nget caches the head's count; the ring holds exactly the
\* threads between port_queue_thread and port_dequeue_thread, once each, and
\* they sleep unless they hold the mutex.
RingInv ==
    /\ portqNget = HeadNget(ring)
    /\ \A j \in DOMAIN ring : Occ(ring, ring[j]) = 1
    /\ \A t \in Threads : InRing(t) <=> th[t].pc \in {"sleep", "dequeue"}
    /\ \A t \in Threads : InRing(t) => th[t].pc = "sleep" \/ mutex = t

\* The mutex is held only between the actions of one critical section.
MutexInv == mutex # NoThread =>
    th[mutex].pc \in {"queue", "dequeue", "checkret", "nowait", "panic"}

\* port.c:1720: port_check_return_cond must not signal a waiter that does not
\* exist (item 8: "close never signals a waiter that does not exist").
NoNullHeadInv == ~panic

\* Slot limit (port_subr.c port_alloc_event_local; process.max-port-events):
\* port_curr counts the allocated structures and never exceeds the limit.
\* An FD slot is held by its association, fired or not (port.c:321-323).
Held(e) == IF IsFd(e) THEN fdAssoc[e] \in FdLive ELSE evState[e] \in {"alloc", "queued"}
SlotInv ==
    /\ curr = Cardinality({e \in Events : Held(e)})
    /\ curr <= MaxEvents

-----------------------------------------------------------------------------
(* Properties: events (item 2; port.c:55 "Events are delivered only once") *)

BufOcc(e) == Cardinality({<<t, j>> \in Threads \X (1..NumEvents) :
                             j \in DOMAIN th[t].buf /\ th[t].buf[j] = e})
\* Every event is in exactly one place, and where evState says.
ConservationInv ==
    \A e \in Events :
        /\ Occ(queue \o temp, e) = (IF evState[e] = "queued" THEN 1 ELSE 0)
        /\ BufOcc(e) = (IF evState[e] = "collected" THEN 1 ELSE 0)
        /\ evFree[e] => evState[e] = "queued"
\* port.c:1588, 1413: a kevent has one list node (portkev_node), so it is
\* linked in at most one list, once: the port queue or the temp list.
OneListInv == \A e \in Events : Occ(queue \o temp, e) <= 1
\* port.c:1594, 1610: a retriever in port_copy_event's window will write back
\* the flags it saved (DONEQ set, VALID clear: the association had fired).
\* That is right only while nobody else changes them: the association is not
\* armed again and the slot not fired again meanwhile.  (The window is
\* entered for denials only, so every such retriever will write back.)
CopyFlagsInv ==
    \A t \in Threads : th[t].pev # 0 =>
        /\ fdAssoc[th[t].pev] # "armed"
        /\ evState[th[t].pev] \in {"copying", "copyingDoneq"}
\* port.c:205-207 "Non-shareable events are invisible for the port_get(n)()
\* functions of processes other than the owner of the event".
NoshareInv ==
    \A t \in Threads : \A j \in DOMAIN th[t].buf :
        LET e == th[t].buf[j] IN ~EvNoShare[e] \/ EvOwner[e] = Proc(t)
\* Delivered at most once.
DeliveredOnceInv ==
    \A e \in Events : deliveries[e] = (IF evState[e] = "delivered" THEN 1 ELSE 0)
\* Lost only on documented paths: events of a closing process's NOSHARE kind
\* (port.c:247-250: "all non-shareable events will be discarded") and the
\* queue of a closed port (port.c:194-198).  An event a retriever took out
\* of the queue and freed must reach user space.
NoLossInv == \A e \in Events : evState[e] # "lost"

\* item 9 (port.c:52-53 "queued ... with the same priority", port.c:1472-1474
\* "push ... back to the top"): the queue (temp list first) keeps send order,
\* which is id order (sources send in id order; an FD slot fires again
\* after each re-association, so FD events are left out).
FifoInv ==
    LET L == IF Fds = {} THEN temp \o queue ELSE SelectSeq(temp \o queue, LAMBDA e : ~IsFd(e))
    IN \A i \in DOMAIN L : i > 1 => L[i - 1] < L[i]

\* port.c:162-164 "file descriptors deliver events only one time and remain
\* deactivated until the application reactivates the association": an armed
\* association has no event out, and a removed one none queued
\* (port_dissociate(3C), port_fd.c port_dissociate_fd); a dropped timer has no event queued either.
FdOneShotInv ==
    \A e \in Events : IsFd(e) =>
        \* (a timer stays armed while it fires)
        /\ fdAssoc[e] = "armed" /\ ~IsTimer(e) => evState[e] \notin {"alloc", "queued"}
        /\ fdAssoc[e] \in {"none", "gone"} => evState[e] \notin {"alloc", "queued"}

\* item 6 (port.c:1792-1797, 1818): waiters asking for fewer events are
\* woken first: the ring is ordered by nget from the head.
WaiterOrderInv ==
    \A i, j \in DOMAIN ring : i < j => th[ring[i]].nget <= th[ring[j]].nget

\* item 10 (port_getn(3C): "*nget is updated to the number of events
\* retrieved", also on ETIME): the count user space sees is what was written.
ReportedCountInv ==
    \A t \in Threads :
        ret[t].kind = "getn" /\ ret[t].err \in {"OK", "ETIME"} => ret[t].nget = ret[t].written
\* port_get(3C): "returns 0" on success having retrieved one event.
GetWritesInv ==
    \A t \in Threads : ret[t].kind = "get" /\ ret[t].err = "OK" => ret[t].written = 1

\* The descriptor layer's promise, which MayCall assumes without the layer: no
\* call runs past its process's close of the descriptor it uses (fio.c
\* closeandsetf waits for them before VOP_CLOSE), so port_close never sees a
\* call of the closing process on that descriptor.
DrainInv == \A t \in Threads : Holds(t, Proc(t), th[t].op.fd) => <<Proc(t), th[t].op.fd>> \in refs

\* After the last close has finished nothing is left (port_vnops.c port_close comment:
\* "discard everything").
ClosedInv ==
    (refs = {} /\ ~panic /\ \A t \in Threads : ~InClose(t))
    => /\ thrcnt = 0 /\ ring = <<>> /\ queue = <<>> /\ temp = <<>> /\ curr = 0

-----------------------------------------------------------------------------
(* Properties: progress, under weak fairness of threads (items 7, 8) *)

\* item 8 / port_vnops.c port_close ("Make sure that all threads ... leave the kernel
\* immediately"): a last close terminates.
CloseTerminatesProp ==
    \A t \in Threads :
        th[t].pc \in {"closeDrain", "closeThrWait", "closeCurrWait", "closeEvents", "closePollWait"} ~> th[t].pc = "idle"

\* item 7 (port.c:55-58, port.c:1359-1361 "Before the current thread returns
\* it will check the conditions to awake other waiting threads"): a waiter
\* is not left asleep while nobody retrieves and the queue holds enough
\* events it could take.
DeliverableCount(p) ==
    Cardinality({j \in DOMAIN queue : Deliverable(queue[j], p) /\ ~evFree[queue[j]]})
Stranded(t) ==
    /\ th[t].pc = "sleep" /\ getn = 0 /\ "CLOSE" \notin qflags
    /\ DeliverableCount(Proc(t)) >= th[t].nget
NoStrandedWaiterProp == \A t \in Threads : []<>(~Stranded(t))

\* The same hangs as a state predicate, cheap enough for every model: in a
\* state where no thread can take a step of a call it has started and no
\* reserved event can be sent (only timeouts, interrupts and new calls or
\* events could move the system), no closer waits, no waiter is stranded
\* and nobody waits for PORTQ_BLOCKED.  (Hangs that spin are left to the
\* temporal properties.)
\* (a stale sleeper has been set running; a closer in closeDrain sleeps on
\* uf_closing_cv until the references drain)
Asleep(t) == \/ /\ th[t].pc \in {"sleep", "blockWait", "closeThrWait", "closeCurrWait",
                                     "closePollWait"} /\ ~sig[t]
                /\ ~(th[t].pc = "sleep" /\ th[t].stale)
             \/ th[t].pc = "closeDrain" /\ ~Drained(Proc(t), th[t].op.fd)
Quiescent ==
    /\ \A t \in Threads : th[t].pc = "idle" \/ Asleep(t)
    /\ \A e \in Events : evState[e] # "alloc"
    /\ wkupOwed = {} /\ "POLLWK_PEND" \notin qflags       \* no pollwakeup under way
\* The spec has no clock: a waiter with a positive timeout (rqtp) may time out
\* at any step, or never.  A stranded waiter with a NULL timeout sleeps for
\* good (a hang: NoHangInv); one with a deadline sleeps until it passes and
\* then returns ETIME with its events queued (a stall bounded by the
\* deadline: NoStallInv).  Closers and block waiters have no deadline.
NoHangInv ==
    Quiescent =>
        /\ \A t \in Threads : th[t].pc \notin {"closeDrain", "closeThrWait", "closeCurrWait", "closeEvents",
                                               "closePollWait", "blockWait"}
        /\ \A t \in Threads : ~(Stranded(t) /\ ~th[t].rqtp)
NoStallInv ==
    Quiescent => \A t \in Threads : ~(Stranded(t) /\ th[t].rqtp)

\* item 11: what a party on port_pollhd waits for is remembered in portq_flags
\* (or a pollwakeup is on its way to it: PORTQ_POLLWK_PEND) ...
PollFlagsInv ==
    /\ "POLLIN" \in pollWait => "POLLIN" \in qflags \/ "POLLWK_PEND" \in qflags
    /\ "POLLOUT" \in pollWait => "POLLOUT" \in qflags
\* ... and once nothing can move any more (Quiescent) no party waits for
\* something the port is ready for: every way an event gets queued or a slot
\* freed wakes the pollers.
NoStrandedPollerInv ==
    Quiescent =>
        /\ "POLLIN" \in pollWait => nent = 0
        /\ "POLLOUT" \in pollWait => curr >= MaxEvents

\* port_subr.c port_block / port_unblock: a thread waiting for PORTQ_BLOCKED gets it.
BlockProgressProp == \A t \in Threads : th[t].pc = "blockWait" ~> th[t].pc # "blockWait"

=============================================================================
