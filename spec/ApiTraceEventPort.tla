------------------------- MODULE ApiTraceEventPort -------------------------
(***************************************************************************)
(* API-level trace validation: is there a behaviour of EventPort that      *)
(* makes exactly these calls and returns, in this order?                   *)
(*                                                                         *)
(* A trace of this level (trace-validation/FORMAT.md, "Level api") records *)
(* what any implementation of event ports can see: a call entered, a call  *)
(* returned (with its result), a thread asleep in the port, an input from  *)
(* the environment.  The Java loader (eventports.tracevalidation.api)      *)
(* resolves descriptors, checks what the front end decides on its own      *)
(* (EBADF, EBADFD, argument errors), splits the trace per port and hands   *)
(* each port's records to this module, one batch per TLC run as for        *)
(* TraceEventPort (whose loader operators, constants and Init it reuses).  *)
(* A batch is of one profile and one layer (the header's): with FdLayer   *)
(* each call is on the descriptor it names, fork/dup/sendfd records add   *)
(* descriptors to refs, and closes evict as EventPort's closeandsetf does. *)
(*                                                                         *)
(* Records are consumed one per step, in order (variable i).  Between two  *)
(* records EventPort's actions run as internal steps, in any interleaving  *)
(* TLC finds: the locks, the waiter ring, the wake-ups, the delivery loop  *)
(* of the calls in flight.  What the environment decides is tied to the    *)
(* records: a call starts only after its call record (EventPort's NextOps  *)
(* is overridden), an event is allocated only by the call that sends it    *)
(* (AllocInOrder), a sleep ends with EINTR only after an interrupt record  *)
(* for its thread, and a timed sleep ends with ETIME only after advance    *)
(* records have moved virtual time past the call's deadline (the loader    *)
(* computes both positions per call: intrAt, expAt).                       *)
(*                                                                         *)
(* Results.  When the spec returns a call to user space (th[t].step moves  *)
(* on) the result is kept in api[t] until the return record compares it:   *)
(* error, count and the delivered events' payloads (source, events,        *)
(* object, user), so two events with equal payloads are interchangeable.   *)
(* Sends are the events' own actions: their return record compares each    *)
(* event's outcome (sent, EAGAIN, EINTR).                                  *)
(*                                                                         *)
(* Two sources are the environment's beyond the records: another port     *)
(* polling this one (nested ports: PollStep, PortObj) and the file system  *)
(* behind FILE watches (IsFile, fsop records); each port's own protocol is *)
(* checked, what the other port or the file system did is not.             *)
(*                                                                         *)
(* A trace is accepted iff some behaviour consumes every record; the       *)
(* loader reports the furthest record any behaviour reached as the first   *)
(* one no behaviour explains.                                              *)
(*                                                                         *)
(* Cost.  A BFS explores every interleaving of the calls in flight, so two *)
(* reductions keep it small without losing a behaviour: a critical section *)
(* of portq_mutex runs uninterleaved (see Internal), and a call record     *)
(* carries the result its return record will give (x), so behaviours that *)
(* return anything else are cut at the return step (Track, Collects).  The *)
(* loader drops x for an exact second pass over rejected traces, so the    *)
(* record it names does not move earlier.                                  *)
(***************************************************************************)
EXTENDS TraceEventPort

-----------------------------------------------------------------------------
(* The loader's extra constants (TraceConst, per event of the batch) *)

ACon == TraceConst
\* The position (in its trace) of the call record whose call allocates event e.
EvCallAt(e) == ACon.evCallAt[e]
\* The event the same call allocated just before e (0: none): one entry after another.
EvPrev(e) == ACon.evPrev[e]
\* port_dispatch's events use the sleeping allocator (port_alloc_event_block).
EvDisp(e) == ACon.evDisp[e]
\* The thread whose call allocates e.
EvThread(e) == ACon.evThread[e]
\* The payload a USER or dispatch event is delivered with (an FD or timer slot's
\* payload is made when it fires or is collected: fdv).
EvPay(e) == ACon.evPay[e]
\* Alert k of the batch (EventPort's alert value) is delivered with AlertPay(k).
AlertPay(k) == ACon.alertPay[k]
\* An FD slot's open file (readiness is the file's); the object its events are
\* delivered with: an FD slot's descriptor number, a timer slot's timer id.
EvObj(e) == ACon.evObj[e]
EvPayObj(e) == ACon.evPayObj[e]
\* The trace's open files that have FD associations on its port.
TObjs == Meta[tr].objs

Never == 1000000000            \* a position after every record

\* Nested ports (see PollStep): this port's descriptor is polled by another port;
\* the other ports' descriptors among this port's FD objects.
ApiPortPolled == Meta[tr].polled
PortObj(o) == o \in Meta[tr].portObjs
PortPollBits == {1, 4, 5}                  \* POLLIN, POLLOUT, both

\* The FILE source (port_fop.c): a watch is an FD-like CACHED slot (EvKind "file").
\* Which file system call fires which event is below the spec: a watch may fire
\* while a file system call is in progress (rdy[FsKey] counts them: fsop records)
\* or during its own association (the timestamp check).  Its event carries the
\* bits it may report — its mask and the bits it fired before a re-association
\* (port_fop.c accumulates them) — and a return may report any non-empty part
\* of them (PayMatches): one state, not one per subset.
\* Every association call of a key (process, file_obj address) brings a slot of
\* its own and the slot of an exception event (ExcOf, kind "fexc"): whether the
\* key still has a watch, so whether the call re-associates it (AssocSlot) or
\* makes a new one, is the spec's to decide, since an exception may have dropped
\* the watch (port_fop_excep).  A key's slots share one FdOf, so
\* port_alloc_event_local allocates one only while the key has no live watch.
EvKind(e) == ACon.evKind[e]
IsFile(e) == EvKind(e) = "file"
IsExc(e) == EvKind(e) = "fexc"
ExcOf(e) == e + 1                          \* the loader numbers it right after its slot
FsKey == 0                                 \* no object is numbered 0 (ApiBatch)
FsExcKey == -1                             \* rdy[FsExcKey]: those that may raise an exception
FileBits == 1048583                        \* FILE_ACCESS | FILE_MODIFIED | FILE_ATTRIB | FILE_TRUNC
\* FILE_DELETE | FILE_RENAME_TO | FILE_RENAME_FROM | UNMOUNTED | MOUNTEDOVER
FileExcBits == 1610612848
\* The trace's FD and timer slots, and the FILE source's exception events (fdv
\* keeps the cookie an exception event goes with).
TDynEvs == {e \in TStepEvents : IsFd(e) \/ IsExc(e)}

\* Poll bits are small: bitwise and/or by recursion on the bits.
RECURSIVE BitAnd(_, _), BitOr(_, _)
BitAnd(a, b) == IF a = 0 \/ b = 0 THEN 0
                ELSE 2 * BitAnd(a \div 2, b \div 2) + (IF a % 2 = 1 /\ b % 2 = 1 THEN 1 ELSE 0)
BitOr(a, b) == IF a = 0 THEN b ELSE IF b = 0 THEN a
               ELSE 2 * BitOr(a \div 2, b \div 2) + (IF a % 2 = 1 \/ b % 2 = 1 THEN 1 ELSE 0)

-----------------------------------------------------------------------------
VARIABLES
    api,    \* [threads -> the API call in progress and, once the spec returned it, its result]
    rdy,    \* [open files -> the poll bits they are ready with] (fd_ready / fd_clear);
            \* rdy[FsKey]: the file system calls in progress (fsop), rdy[FsExcKey]: of
            \* them, those that may raise an exception (port_fop_excep)
    fdv     \* [FD and timer slots -> what their next or current event carries]
apiVars == <<api, rdy, fdv>>
allVars == <<vars, traceVars, apiVars>>

NoRes == [err |-> "none", nget |-> 0, evs |-> <<>>]
\* What a call's return record says, known from its call on (err "?": the trace ends first).
NoExp == [err |-> "?", nget |-> -1, evs |-> <<>>, outs |-> <<>>]
\* ph: idle (no call), called (its call record was consumed, the spec has not
\* returned it yet), ret (the spec returned it with res; its return record is next
\* for this thread).  op: EventPort's Op for the thread's calls (kind get, getn,
\* alert, unalert, close) or the kind of the others (count, send, dispatch, assoc,
\* dissoc, closefd, timer).  evs: the events a send allocates; the FD slot of an
\* association, a dissociation or a timer; the FD slots a close of descriptors
\* removes (close, closefd), in order.  arg: what an association arms (mask with
\* POLLHUP|POLLERR, user).  st: steps done of a removal chain (3 per slot).
\* act: assoc - armed by this call; dissoc - the association was active.  x: the
\* result its return record will compare (NoExp if the trace ends before it).  ex:
\* the close is exit(2)'s in the descriptor layer (it waits for exitlwps).  more:
\* the port's further descriptors an exit closes after op.fd, in order.
NoApi == [ph |-> "idle", op |-> NoOp, evs |-> <<>>, arg |-> [want |-> 0, usr |-> ""],
          intrAt |-> Never, expAt |-> Never, st |-> 0, act |-> FALSE, res |-> NoRes, x |-> NoExp,
          ex |-> FALSE, more |-> <<>>]
\* xc, xs: a FILE watch's exception in progress (port_fop_excep's phase, and
\* whether it sends the exception event).
NoFdv == [want |-> 0, usr |-> "", bits |-> 0, pend |-> 0, got |-> 0, xc |-> 0, xs |-> FALSE]

IntrOk(t) == api[t].intrAt <= i
ExpOk(t) == api[t].expAt <= i
Kind(t) == api[t].op.kind
InCall(t, k) == api[t].ph = "called" /\ Kind(t) = k

\* EventPort's NextOps: a thread starts the call whose record was consumed; a close
\* of descriptors first removes the FD associations recorded on them (in order),
\* then closes the port.  In the descriptor layer a call starts only on a
\* descriptor still open (getf: else GetfFails), and exit(2)'s close only once
\* exitlwps has ended the process's other calls on the port (ExitWaits).
ChainDone(t) == api[t].st >= 3 * Len(api[t].evs)
\* The slot a removal chain is at (3 steps a slot).
ChainSlot(t) == api[t].evs[api[t].st \div 3 + 1]
\* A FILE watch's exception in progress (port_fop_excep) holds its cache's lock.
ExcBusy(e) == IsFile(e) /\ fdv[e].xc \in 1..3
\* The slot a FILE association call arms: its key's live watch if there is one
\* (a re-association), else its own (see Associate).
KeyWatch(e) == {f \in StepEvents : FdOf(f) = FdOf(e) /\ f # e /\ fdAssoc[f] \in FdLive}
AssocSlot(t) ==
    LET e == api[t].evs[1] IN
    IF IsFile(e) /\ KeyWatch(e) # {} THEN CHOOSE f \in KeyWatch(e) : TRUE ELSE e
ExitWaits(t) ==
    api[t].ex /\ \E u \in StepThreads \ {t} : Proc(u) = Proc(t) /\ api[u].ph = "called"
ApiNextOps(t) ==
    IF /\ api[t].ph = "called" /\ (Kind(t) = "close" => ChainDone(t)) /\ ~ExitWaits(t)
       /\ FdLayer => FdOpen(Proc(t), api[t].op.fd)
    THEN {api[t].op} ELSE {}
\* EventPort's AllocInOrder: the call that allocates e has started, and the
\* entries before e of the same call are done.  A FILE watch's slot is allocated
\* only while its call is still making the watch (a later call of the key may
\* find the watch gone, not this one's slot free to take).
ApiAllocOk(e) ==
    /\ EvCallAt(e) <= i
    /\ IF EvPrev(e) = 0 THEN TRUE
       ELSE evState[EvPrev(e)] \notin {"none", "alloc", "allocWait", "allocWoken"}
    /\ IsFile(e) => \E t \in StepThreads : InCall(t, "assoc") /\ api[t].evs[1] = e /\ ~api[t].act
\* EventPort's SlotFull: port_max_events of the trace's own run.
ApiSlotFull == curr >= Meta[tr].maxEvents

-----------------------------------------------------------------------------
(* Results *)

\* A delivered event's payload, FD and timer slots from fdv.
Pay(e) ==
    IF IsTimer(e) THEN [src |-> 2, ev |-> fdv[e].got, obj |-> EvPayObj(e), usr |-> fdv[e].usr]
    ELSE IF IsFd(e) THEN [src |-> IF IsFile(e) THEN 7 ELSE 4, ev |-> fdv[e].bits, obj |-> EvPayObj(e),
                          usr |-> fdv[e].usr]
    ELSE IF IsExc(e) THEN [src |-> 7, ev |-> FileExcBits, obj |-> EvPayObj(e), usr |-> fdv[e].usr]
    ELSE EvPay(e)
\* What thread t's call writes to user space if it returns in this step (its
\* collected events, or the alert: its private copy, or the port's at entry).
Written(t) ==
    IF th[t].pc = "deliver" THEN [j \in DOMAIN th[t].buf |-> Pay(th[t].buf[j])]
    ELSE IF th[t].err = "ALERT" /\ th[t].pc \in {"dequeue", "checkret"} THEN <<AlertPay(th[t].wAlert)>>
    ELSE <<AlertPay(alert.val)>>
\* A count query that waited for PORTQ_BLOCKED returns from port_block.
CountReturns(t) == th[t].pc = "blockWait" /\ th[t].cont = "count" /\ th'[t].pc = "idle"
Returns(t) == th'[t].step # th[t].step \/ CountReturns(t) \/ (th'[t].pc = "panic" /\ th[t].pc # "panic")
Result(t) ==
    IF th'[t].pc = "panic" THEN [NoRes EXCEPT !.err = "PANIC"]
    ELSE IF CountReturns(t) THEN [NoRes EXCEPT !.err = "OK", !.nget = nent]
    ELSE [err |-> ret'[t].err, nget |-> ret'[t].nget,
          evs |-> IF ret'[t].written = 0 THEN <<>> ELSE SubSeq(Written(t), 1, ret'[t].written)]
\* A delivered payload p as a return reports it (q): equal, but a FILE event (source
\* 7) carries the bits it may report, and q reports a non-empty part of them.
PayMatches(p, q) ==
    IF p.src = 7 THEN [p EXCEPT !.ev = q.ev] = q /\ q.ev # 0 /\ BitAnd(p.ev, q.ev) = q.ev ELSE p = q
\* A result as the return record x gives it (nget -1: not compared).
Matches(res, x) ==
    /\ res.err = x.err
    /\ IF x.nget >= 0 THEN res.nget = x.nget ELSE TRUE
    /\ Len(res.evs) = Len(x.evs)
    /\ \A j \in DOMAIN res.evs : PayMatches(res.evs[j], x.evs[j])
Known(t) == api[t].x.err # "?"
\* Keep the result of a call that t's step returned.  Its return record is known from
\* the call on: a behaviour that returns anything else is cut here, not at the record.
\* An exit that closes several descriptors of the port goes on with the next one.
Track(t) ==
    IF Returns(t) /\ api[t].more # <<>>
    THEN /\ Result(t).err = "OK"
         /\ api' = [api EXCEPT ![t].op = [@ EXCEPT !.fd = Head(api[t].more)], ![t].more = Tail(@)]
    ELSE IF Returns(t)
    THEN /\ IF Known(t) THEN Matches(Result(t), api[t].x) ELSE TRUE
         /\ api' = [api EXCEPT ![t].ph = "ret", ![t].res = Result(t)]
    ELSE api' = api
\* Likewise a retriever collects only the events its return will deliver, in that
\* order (collected events are delivered unless the call ends EBADFD or the like).
Collects(t) ==
    LET n == Len(th'[t].buf) IN
    IF Known(t) /\ api[t].x.err \in {"OK", "ETIME"} /\ th[t].pc = "deliver" /\ n > Len(th[t].buf)
    THEN LET e == th'[t].buf[n]
             \* a timer's expiry count is the one this step collected (fdv')
             pay == IF IsTimer(e) THEN [Pay(e) EXCEPT !.ev = fdv'[e].got] ELSE Pay(e)
         IN n <= Len(api[t].x.evs) /\ PayMatches(pay, api[t].x.evs[n])
    ELSE TRUE

-----------------------------------------------------------------------------
(* Internal steps: threads in calls (EventPort's actions, guarded by the records) *)

\* port_getn's first pass with an invalid timeout that would wait returns EINVAL
\* (P:1272-1278) instead of queueing: TraceEventPort's MatchEinvalTimeout.
InvalidFirst(t) == th[t].pc = "idle" /\ api[t].op.to = "invalid" /\ nent < api[t].op.nget
EinvalTimeout(t) ==
    /\ api[t].ph = "called" /\ Kind(t) \in {"get", "getn"} /\ InvalidFirst(t)
    /\ MatchEinvalTimeout([action |-> "port_getn", next |-> "EINVAL_TIMEOUT", thread |-> t])

\* The count query (port_getn with max = 0, P:1189-1209): with PORTQ_BLOCKED free
\* read portq_nent and return (port_unblock may wake a block sleeper); else sleep
\* in port_block (cont "count"), which EventPort finishes.
CountQuery(t) ==
    /\ InCall(t, "count") /\ th[t].pc = "idle" /\ mutex = NoThread /\ ApiNextOps(t) # {}
    /\ IF "BLOCKED" \notin qflags
       THEN /\ \E w \in WakeChoices : sig' = SignalBlock(sig, w)
            /\ api' = [api EXCEPT ![t].ph = "ret", ![t].res = [NoRes EXCEPT !.err = "OK", !.nget = nent]]
            /\ UNCHANGED th
       \* (its op: the descriptor layer counts it as holding its descriptor)
       ELSE /\ th' = [th EXCEPT ![t].pc = "blockWait", ![t].cont = "count", ![t].op = api[t].op]
            /\ UNCHANGED <<sig, api>>
    /\ UNCHANGED <<queueVars, waiterVars, ret, ghostVars, fdVars, pollVars>>

\* The descriptor layer: a call whose descriptor was closed (or is being closed)
\* before its getf fails with EBADF without reaching the port (Fio.getf).
GetfFails(t) ==
    LET res == [NoRes EXCEPT !.err = "EBADF"] IN
    /\ FdLayer /\ Kind(t) \in {"get", "getn", "count", "alert", "unalert", "close"} /\ th[t].pc = "idle"
    /\ ~FdOpen(Proc(t), api[t].op.fd)
    /\ Known(t) => Matches(res, api[t].x)
    /\ api' = [api EXCEPT ![t].ph = "ret", ![t].res = res]
    /\ UNCHANGED <<vars, rdy, fdv>>

\* closeandsetf's drain waits for every call of the closing process on the
\* descriptor; EventPort counts port_get(n) (Holder), and a send or dispatch of
\* the process on it is in the kernel while an event of it is still being allocated.
SendHolds(t) == \E u \in StepThreads \ {t} :
    /\ Proc(u) = Proc(t) /\ api[u].ph = "called" /\ Kind(u) \in {"send", "dispatch"}
    /\ api[u].op.fd = th[t].op.fd
    /\ \E j \in DOMAIN api[u].evs : evState[api[u].evs[j]] \in {"none", "alloc", "allocWait", "allocWoken"}

\* port_copy_event's window (EventPort's CopyWindow, on for traces): when it closes
\* on a kevent that port_send_event linked into the port queue meanwhile (F14,
\* illumos), port.c:1415 inserts one list node into a second list.  The seed
\* corrupts both lists there; a model of it stops (the Java core's SeedCrash, a
\* "panic" return): so does the spec.
CopyRelinks(t) == th[t].pev # 0 /\ \E j \in DOMAIN queue : queue[j] = th[t].pev
CopyPanic(t) ==
    /\ CopyRelinks(t)
    /\ panic' = TRUE
    /\ th' = [th EXCEPT ![t].pc = "panic"]
    /\ UNCHANGED <<queueVars, waiterVars, sig, ret, refs, blockHolder, evState, evFree, deliveries,
                   fdVars, pollVars>>

\* EventPort's thread actions, dispatched on the thread's program counter (so TLC
\* evaluates one arm), with the environment's guards: a timeout after the deadline,
\* an interrupt after its record (or an eviction: closeandsetf's stale mark).
EngineStep(t) ==
    CASE th[t].pc = "idle" ->
              \/ port_getn(t) /\ ~(InvalidFirst(t) /\ th'[t].pc = "queue")
              \/ EinvalTimeout(t)
              \/ port_alert(t)
              \/ port_remove_alert(t)
              \/ port_close(t)
              \/ closeandsetf(t)
      [] th[t].pc = "closeDrain" -> ~SendHolds(t) /\ port_close(t)
      [] th[t].pc = "entry" -> port_getn(t)
      [] th[t].pc = "queue" -> port_queue_thread(t)
      [] th[t].pc = "sleep" ->
              \/ cv_waituntil_sig(t, "signal")
              \/ ExpOk(t) /\ cv_waituntil_sig(t, "timeout")
              \/ (IntrOk(t) \/ th[t].stale) /\ cv_waituntil_sig(t, "intr")
      [] th[t].pc = "dequeue" -> port_dequeue_thread(t)
      [] th[t].pc = "checkret" -> port_check_return_cond(t)
      [] th[t].pc = "nowait" -> portnowait(t)
      [] th[t].pc = "blockWait" -> \E w \in StepThreads \cup {NoThread} : port_block(t, w)
      [] th[t].pc = "deliver" ->
              \/ port_fd_callback(t)
              \/ ~CopyRelinks(t) /\ port_copy_event(t)
              \/ CopyPanic(t)
              \/ \E w \in StepThreads \cup {NoThread} : port_unblock(t, w)
      [] th[t].pc \in {"closeThrWait", "closeCurrWait"} -> port_close(t)
      [] th[t].pc = "closeEvents" -> port_close_events(t)
      [] th[t].pc = "discard" -> \E w \in StepThreads \cup {NoThread} : port_discard_events(t, w)
      [] th[t].pc = "closeSources" ->
              \/ \E e \in CloseTargets(t) : /\ ~ExcBusy(e)
                                          /\ \/ \E w \in StepThreads \cup {NoThread} : port_remove_done_event(e, w)
                                             \/ port_remove_fd_object(e)
              \/ port_close_sourcefd(t)
      [] OTHER -> FALSE                                   \* panic: the kernel is dead

\* A timer event collected by its owner carries the expiries counted so far, and
\* the count restarts (timer_port_callback).
CollectTimer(t) ==
    fdv' = IF th[t].pc = "deliver" /\ Len(th'[t].buf) > Len(th[t].buf)
              /\ IsTimer(th'[t].buf[Len(th'[t].buf)])
           THEN LET e == th'[t].buf[Len(th'[t].buf)]
                IN [fdv EXCEPT ![e].got = fdv[e].pend, ![e].pend = 0]
           ELSE fdv

\* Every internal step of a thread belongs to a call in progress.
CallStep(t) ==
    /\ api[t].ph = "called"
    /\ \/ EngineStep(t) /\ Track(t) /\ CollectTimer(t) /\ Collects(t) /\ UNCHANGED rdy
       \/ CountQuery(t) /\ UNCHANGED <<rdy, fdv>>
       \/ GetfFails(t)

-----------------------------------------------------------------------------
(* Internal steps: event sources *)

\* port_send / port_sendn / port_dispatch allocate and send the events of their
\* call; a port_dispatch sleeping for a slot ends with EINTR only after an
\* interrupt record for its thread.  FD and timer slots are sent after they fired.
SendStep(e) ==
    \/ ~EvDisp(e) /\ ~IsExc(e) /\ port_alloc_event_local(e)
    \/ \E r \in {"none", "signal", "intr"} :
          /\ EvDisp(e) /\ (r = "intr" => IntrOk(EvThread(e)))
          /\ port_alloc_event_block(e, r)
    \/ port_send_event(e)

\* An armed FD association fires while its file is ready with a bit it wants
\* (pollwakeup, or port_associate's own VOP_POLL): one event, those bits.  Another
\* port's descriptor (nested ports, PortObj) is ready with any of POLLIN, POLLOUT;
\* a FILE watch fires as FireBits says (see IsFile).
OwnAssociation(e) == \E t \in StepThreads : InCall(t, "assoc") /\ AssocSlot(t) = e /\ api[t].act
FireBits(e) ==
    IF IsFile(e)
    THEN IF rdy[FsKey] > 0 \/ OwnAssociation(e)
         THEN {BitAnd(FileBits, BitOr(fdv[e].want, fdv[e].bits))} \ {0}
         ELSE {}
    ELSE IF PortObj(EvObj(e)) THEN {b \in PortPollBits : BitAnd(b, fdv[e].want) = b}
    ELSE {BitAnd(rdy[EvObj(e)], fdv[e].want)} \ {0}
FireFd(e) ==
    /\ IsFd(e) /\ ~IsTimer(e)
    /\ \E bits \in FireBits(e) :
          /\ \E via \in PollwakeupVias : pollwakeup(e, via)
          /\ fdv' = [fdv EXCEPT ![e].bits = bits]

\* port_fop_excep (port_fop.c): during a file system call that removes, renames or
\* (un)mounts and succeeds (rdy[FsExcKey]), an exception
\* (FILE_DELETE, FILE_RENAME_FROM/TO, UNMOUNTED, MOUNTEDOVER) takes a watch off
\* its vnode; which call, and which watches, is the file system's decision.
\* Under the cache's pfc_lock (no association, dissociation or close of the
\* watch meanwhile: ExcBusy) the watch is deactivated (xc 1), its queued event
\* taken back (port_remove_done_event, xc 2); if it was active or had one, its
\* owner gets the exception, with any of the exception bits, the watch's object
\* and cookie, in a fresh DEFAULT slot (ExcOf: port_alloc_event_local, none if
\* the port is full, as in illumos; port_send_event is that slot's own step,
\* xc 3); then the watch leaves the cache (port_remove_fd_object, xc 4).
\* A removal chain, or a re-association that took the watch's queued event back,
\* is in the middle of its steps on e (holding pfc_lock in port_fop.c).
ChainAt(e) ==
    \E t \in StepThreads :
        \/ /\ api[t].ph = "called" /\ Kind(t) \in {"dissoc", "close", "closefd"} /\ ~ChainDone(t)
           /\ api[t].st % 3 # 0 /\ ChainSlot(t) = e
        \/ InCall(t, "assoc") /\ ~api[t].act /\ api[t].st = 1 /\ AssocSlot(t) = e
port_fop_excep(e) ==
    LET x == ExcOf(e)
        next(f) == fdv' = [fdv EXCEPT ![e].xc = @ + 1, ![e].xs = @ \/ f]
    IN
    /\ IsFile(e)
    /\ CASE fdv[e].xc = 0 ->
              /\ rdy[FsExcKey] > 0 /\ fdAssoc[e] \in {"armed", "disarmed"} /\ evState[e] # "alloc"
              /\ ~ChainAt(e)
              /\ IF fdAssoc[e] = "armed" THEN port_dissociate_fd(EvOwner[e], e) ELSE UNCHANGED vars
              /\ next(fdAssoc[e] = "armed")
         [] fdv[e].xc = 1 ->
              IF evState[e] = "queued"
              THEN \E w \in StepThreads \cup {NoThread} : port_remove_done_event(e, w) /\ next(TRUE)
              ELSE evState[e] \notin {"collected", "copying", "copyingDoneq"} /\ UNCHANGED vars /\ next(FALSE)
         [] fdv[e].xc = 2 ->
              IF fdv[e].xs
              THEN /\ port_alloc_event_local(x)
                   /\ fdv' = [fdv EXCEPT ![e].xc = 3, ![x].usr = fdv[e].usr]
              ELSE UNCHANGED vars /\ next(FALSE)
         [] fdv[e].xc = 3 ->
              /\ ~(fdv[e].xs /\ evState[x] = "alloc")
              /\ port_remove_fd_object(e)
              /\ next(FALSE)
         [] OTHER -> FALSE

\* Dispatched on the event's state (delivered and other ended events have no step).
SourceFires(e) == (FireFd(e) \/ port_fop_excep(e)) /\ UNCHANGED <<api, rdy>>
EventStep(e) ==
    IF evState[e] \in {"none", "alloc", "allocWait", "allocWoken"} /\ EvCallAt(e) <= i
    THEN \/ SendStep(e) /\ UNCHANGED apiVars
         \/ SourceFires(e)
    ELSE SourceFires(e)

-----------------------------------------------------------------------------
(* Internal steps: nested ports (port polling) *)

\* A port's descriptor associated with another port (port_vnops.c port_poll via the
\* other port's port_associate_fd) couples two ports, and a trace is validated one
\* port at a time: each port's own protocol is checked, the coupling is not (the
\* lock level follows it record by record).  In the polled port's trace
\* (ApiPortPolled) EventPort's port polling is on, and since who polls it, and
\* when, is in the other port's records, port_poll may run at any step between
\* two records; port_pollwkup and port_pollwkdone follow the pollwakeups that
\* owe them.  In the polling port's trace the other port's descriptor is ready
\* with any of POLLIN and POLLOUT at any time (FireBits): what port_poll answers
\* (port_vnops.c: POLLIN while events are queued, POLLOUT while a slot is free).
PollStep ==
    /\ ApiPortPolled
    /\ \/ \E ev \in SUBSET PollKinds : port_poll(ev)
       \/ \E e \in StepEvents : port_pollwkup(e)
       \/ \E w \in StepEvents \cup {0} : port_pollwkdone(w)
    /\ UNCHANGED apiVars

-----------------------------------------------------------------------------
(* Internal steps: calls of the FD and TIMER sources *)

\* Removing an association (port_dissociate, close(2) of its descriptor by the
\* owner: port_close_pfd) is three steps: disarm, port_remove_done_event,
\* port_remove_fd_object.  A chain finds the association gone (another path
\* removed it) and skips.  For a dissociation act records whether it was active
\* (armed, or its event still queued).
RemoveChain(t) ==
    LET k == api[t].st \div 3 + 1
        s == api[t].st % 3
        e == ChainSlot(t)
        next(a) == api' = [api EXCEPT ![t].st = @ + 1, ![t].act = @ \/ a]
    IN
    /\ api[t].ph = "called" /\ Kind(t) \in {"dissoc", "close", "closefd"} /\ ~ChainDone(t)
    /\ ~ExcBusy(e)
    /\ IF fdAssoc[e] \in {"none", "gone"}
       THEN api' = [api EXCEPT ![t].st = 3 * k] /\ UNCHANGED <<vars, rdy, fdv>>
       ELSE /\ CASE s = 0 -> port_dissociate_fd(EvOwner[e], e) /\ next(fdAssoc[e] = "armed")
                 [] s = 1 -> \E w \in StepThreads \cup {NoThread} :
                                port_remove_done_event(e, w) /\ next(evState[e] = "queued")
                 [] s = 2 -> port_remove_fd_object(e) /\ next(FALSE)
            /\ UNCHANGED <<rdy, fdv>>

\* port_associate (FD): a new association allocates its CACHED slot (AllocInOrder
\* lets only this call do it), a re-association takes a fired event that is still
\* queued back out; then the association is armed with this call's mask and user.
\* It does not re-arm while a copy of its last event is in a retriever's buffer.
\* A FILE call re-associates its key's live watch if there is one (AssocSlot,
\* which becomes evs[1] once armed), keeping the watch's first cookie and the
\* bits it fired (port_fop.c); else it makes a new watch in its own slot.
Associate(t) ==
    LET e == AssocSlot(t)
        again == IsFile(e) /\ fdAssoc[e] # "new"
    IN
    /\ InCall(t, "assoc") /\ ~api[t].act /\ ~ExcBusy(e)
    /\ \/ \E w \in StepThreads \cup {NoThread} :
             /\ evState[e] = "queued" /\ port_remove_done_event(e, w)
             /\ api' = [api EXCEPT ![t].st = 1]          \* (it holds the watch: ChainAt)
             /\ UNCHANGED <<rdy, fdv>>
       \/ /\ evState[e] # "collected" /\ port_associate_fd(e)
          /\ api' = [api EXCEPT ![t].act = TRUE, ![t].evs[1] = e]
          /\ fdv' = [fdv EXCEPT ![e] = [NoFdv EXCEPT !.want = api[t].arg.want,
                                                !.usr = IF again THEN fdv[e].usr ELSE api[t].arg.usr,
                                                !.bits = IF again THEN fdv[e].bits ELSE 0]]
          /\ UNCHANGED rdy

\* timer_create: the timer's SCACHED slot, allocated by this call, is armed for good.
TimerCreate(t) ==
    LET e == api[t].evs[1] IN
    /\ InCall(t, "timer") /\ ~api[t].act
    /\ port_associate_fd(e)
    /\ api' = [api EXCEPT ![t].act = TRUE]
    /\ fdv' = [fdv EXCEPT ![e] = [NoFdv EXCEPT !.usr = api[t].arg.usr]]
    /\ UNCHANGED rdy

SourceStep(t) == RemoveChain(t) \/ Associate(t) \/ TimerCreate(t)

-----------------------------------------------------------------------------
(* Records *)

\* A critical section of portq_mutex runs without interleaving: its steps read and
\* write only what the mutex protects and the holder's own locals, which no other
\* step and no record reads or writes, so every interleaving is equivalent to one in
\* which the section is atomic (a reduction: it cuts states, not behaviours).
Internal ==
    /\ i < Len(Log)
    /\ \/ \E t \in StepThreads : /\ mutex \in {NoThread, t}
                                /\ \/ CallStep(t)
                                   \/ mutex = NoThread /\ SourceStep(t)
       \/ mutex = NoThread /\ \E e \in StepEvents : EventStep(e)
       \/ PollStep
    /\ UNCHANGED traceVars

\* A call record: the thread enters the call.
RCall(r) ==
    /\ api[r.t].ph = "idle"
    /\ api' = [api EXCEPT ![r.t] = [NoApi EXCEPT !.ph = "called", !.op = r.op, !.evs = r.evs,
                                      !.arg = r.arg, !.intrAt = r.intrAt, !.expAt = r.expAt, !.x = r.x,
                                      !.ex = r.ex, !.more = r.more]]
    /\ UNCHANGED <<vars, rdy, fdv>>

\* Each event's outcome as a send call's return sees it.
Outcome(e) ==
    CASE evState[e] = "eagain" -> "EAGAIN"
      [] evState[e] = "eintr" -> "EINTR"
      [] evState[e] \in {"none", "alloc", "allocWait", "allocWoken"} -> "busy"
      [] OTHER -> "OK"
\* Whether thread t's call is done, as its return record x says it ended.
Done(t, x) ==
    CASE Kind(t) \in {"send", "dispatch"} ->
              \A j \in DOMAIN api[t].evs : Outcome(api[t].evs[j]) = x.outs[j]
      [] Kind(t) = "assoc" ->
              IF x.err = "EAGAIN" THEN evState[api[t].evs[1]] = "eagain" ELSE x.err = "OK" /\ api[t].act
      [] Kind(t) = "timer" ->
              IF x.err = "EAGAIN" THEN evState[api[t].evs[1]] = "eagain" ELSE x.err = "OK" /\ api[t].act
      [] Kind(t) = "dissoc" -> ChainDone(t) /\ (x.err = "OK" <=> api[t].act)
      [] Kind(t) = "closefd" -> ChainDone(t) /\ x.err = "OK"
      [] OTHER -> api[t].ph = "ret" /\ Matches(api[t].res, x)

\* A return record: the spec has finished the call with exactly this result.
RReturn(r) ==
    /\ api[r.t].ph \in {"called", "ret"}
    /\ Done(r.t, r.x)
    /\ api' = [api EXCEPT ![r.t] = NoApi]
    /\ UNCHANGED <<vars, rdy, fdv>>

\* A sleep record: the thread is asleep in the port with nothing pending (not
\* signalled, no interrupt, no deadline passed).  Calls of the FD source sleep only
\* waiting for PORTQ_BLOCKED (port_remove_done_event's port_block) or for the
\* port's pc_lock, which another such call in progress holds.
SourceBusy(t) ==
    \/ Kind(t) = "assoc" /\ ~api[t].act
    \/ /\ Kind(t) \in {"dissoc", "closefd"} \/ (Kind(t) = "close" /\ api[t].evs # <<>>)
       /\ ~ChainDone(t)
SleepsNow(t) ==
    CASE Kind(t) = "dispatch" ->
              /\ \E j \in DOMAIN api[t].evs : evState[api[t].evs[j]] = "allocWait"
              /\ ~IntrOk(t)
      [] Kind(t) \in {"assoc", "dissoc", "closefd"} \/ (Kind(t) = "close" /\ ~ChainDone(t)) ->
              \/ "BLOCKED" \in qflags
              \/ \E u \in StepThreads \ {t} : api[u].ph = "called" /\ SourceBusy(u)
      [] OTHER ->
              CASE th[t].pc = "sleep" -> ~sig[t] /\ ~IntrOk(t) /\ (th[t].rqtp => ~ExpOk(t))
                [] th[t].pc \in {"blockWait", "closeThrWait", "closeCurrWait"} -> ~sig[t]
                [] th[t].pc = "closeSources" -> "BLOCKED" \in qflags
                \* closeandsetf's wait for the evicted calls to leave (uf_closing_cv)
                [] th[t].pc = "closeDrain" -> ~Drained(Proc(t), th[t].op.fd) \/ SendHolds(t)
                \* closes of one port take turns (f_tlock, K:fio.c closef); exit(2) waits
                \* for its process's other threads (exitlwps)
                [] th[t].pc = "idle" -> Kind(t) = "close" /\ (ExitWaits(t) \/ \E u \in StepThreads : InClose(u))
                [] OTHER -> FALSE
RSleep(r) ==
    /\ api[r.t].ph = "called" /\ SleepsNow(r.t)
    /\ UNCHANGED <<vars, apiVars>>

\* fork(2): the child holds the port too, at the parent's number (one record per
\* descriptor of the port); dup, dup2 (dup record, at the call's return) and
\* descriptor passing (sendfd) add one descriptor: TraceEventPort's MatchFork and
\* MatchDup.
RRefs(r) ==
    /\ CASE r.k = "fork" -> <<r.pid, r.fd>> \in refs /\ refs' = refs \cup {<<r.child, r.fd>>}
         [] r.k = "dup" -> refs' = refs \cup {<<r.pid, r.newfd>>}
         [] r.k = "sendfd" -> <<r.pid, r.fd>> \in refs /\ refs' = refs \cup {<<r.to, r.newfd>>}
    /\ UNCHANGED <<queueVars, waiterVars, threadVars, blockHolder, panic, evState, evFree,
                   deliveries, fdVars, pollVars, apiVars>>

\* fd_ready adds bits to the file's readiness; fd_clear clears it.
RReady(r) ==
    /\ rdy' = [rdy EXCEPT ![r.obj] = IF r.k = "ready" THEN BitOr(@, r.bits) ELSE 0]
    /\ UNCHANGED <<vars, api, fdv>>

\* A file system call begins (d = 1) or returns (d = -1); exc: it removes, renames
\* or (un)mounts, and succeeds (a failed call raises no vnode event).
RFsop(r) ==
    /\ rdy' = [rdy EXCEPT ![FsKey] = @ + r.d, ![FsExcKey] = @ + (IF r.exc THEN r.d ELSE 0)]
    /\ UNCHANGED <<vars, api, fdv>>

\* timer_expire: an expiry with one pending only counts (an overrun); otherwise an
\* armed timer's slot is sent (timer_fire) with one expiry pending.
RExpire(r) ==
    LET e == r.e IN
    IF fdv[e].pend > 0
    THEN fdv' = [fdv EXCEPT ![e].pend = @ + 1] /\ UNCHANGED <<vars, api, rdy>>
    ELSE IF fdAssoc[e] = "armed"
    THEN timer_fire(e) /\ fdv' = [fdv EXCEPT ![e].pend = 1] /\ UNCHANGED <<api, rdy>>
    ELSE UNCHANGED <<vars, apiVars>>

Record ==
    /\ i < Len(Log)
    /\ mutex = NoThread \/ panic        \* (a dead kernel keeps its mutex)
    /\ LET r == Log[i + 1] IN
       CASE r.k = "call" -> RCall(r)
         [] r.k = "ret" -> RReturn(r)
         [] r.k = "sleep" -> RSleep(r)
         [] r.k \in {"fork", "dup", "sendfd"} -> RRefs(r)
         [] r.k \in {"ready", "clear"} -> RReady(r)
         [] r.k = "expire" -> RExpire(r)
         [] r.k = "fsop" -> RFsop(r)
         [] OTHER -> UNCHANGED <<vars, apiVars>>       \* interrupt, advance: positions only
    /\ i' = i + 1
    /\ UNCHANGED tr

ApiInit ==
    /\ TraceInit
    /\ api = [t \in TStepThreads |-> NoApi]
    /\ rdy = [o \in TObjs \cup {FsKey, FsExcKey} |-> 0]
    /\ fdv = [e \in TDynEvs |-> NoFdv]

ApiDone == i = Len(Log) /\ UNCHANGED allVars
ApiNext == Record \/ Internal \/ ApiDone

ApiSpec == ApiInit /\ [][ApiNext]_allVars

\* Reports each trace's progress (and the state) to the loader; never false.  The
\* state goes as a plain tuple (cheap on every state); ApiChild names its parts when
\* it prints one (ApiChild.STATE).
ApiProgressInv ==
    TraceProgress(tr, i, <<queue, temp, qflags, thrcnt, getn, curr, ring, refs, th, sig,
                           evState, fdAssoc, api, rdy, fdv>>)

=============================================================================
