--------------------------- MODULE TraceEventPort ---------------------------
(***************************************************************************)
(* Trace validation: is a run of the Java core a behaviour of EventPort?   *)
(*                                                                         *)
(* The core emits one record per spec action it performs, named as the     *)
(* action (trace-validation/FORMAT.md).  This module constrains EventPort's *)
(* actions by the records, one record per step: record i+1 selects the     *)
(* action and its thread, fixes the parameters the record gives (event,    *)
(* wait outcome, the call), and checks the decisions the record reports    *)
(* (where the call went next, how many events it delivered).  Parameters   *)
(* a record leaves open (which port_cv sleeper a cv_signal woke, and which *)
(* PORTQ_BLOCKED sleeper where a trace has no "blockwoke") are the only    *)
(* nondeterminism, so a trace costs about one state a record.              *)
(*                                                                         *)
(* Batches.  Many traces are checked in one TLC run: the Java loader       *)
(* (eventports.tracevalidation.TraceOverrides) renames each trace's        *)
(* threads, processes and events apart, so EventPort's constants are the   *)
(* union of the batch and a variable `tr` picks the trace a behaviour      *)
(* follows.  Progress is reported to the loader by TraceProgress.          *)
(*                                                                         *)
(* Mapping of record fields to spec variables:                             *)
(*   thread  -> t (a thread of Threads);  pid -> Proc(t) (TProc)           *)
(*   kev     -> an event e (EvOf), numbered in allocation order            *)
(*   r       -> cv_waituntil_sig's outcome ("signal", "timeout", "intr")   *)
(*   next    -> th[t].pc after port_getn ("queue", "nowait", ...)          *)
(*   outcome -> what port_copy_event did with the event after the cursor   *)
(*   delivered / lost -> Len(th[t].buf) at port_unblock                    *)
(*   blockwoke -> w, the block sleeper port_unblock woke (BlockWoke)       *)
(*                                                                         *)
(*   fd      -> the descriptor: th[t].op.fd of a call, a pair of refs     *)
(*                                                                         *)
(* Records for code paths EventPort leaves out are matched by the actions  *)
(* under "Paths the spec leaves out" below (count query, EINVAL, fork,     *)
(* dup, descriptor passing, the closer's source callbacks); they change    *)
(* the spec state exactly as the code does.  A batch is of one layer: the  *)
(* port_create record says whether the run had the descriptor layer on     *)
(* (FdLayer), and the loader groups traces by it.                          *)
(***************************************************************************)
EXTENDS EventPort

-----------------------------------------------------------------------------
(* The batch, loaded by Java overrides (no CommunityModules here) *)

\* <<trace_1, ..., trace_N>>; a trace is a tuple of records (FORMAT.md).
TraceLogs == Assert(FALSE, "TraceLogs: the Java override is not loaded")
\* Per trace: [creator |-> pid, creatorFd |-> its descriptor, firstEv |-> n,
\*             lastEv |-> m, threads |-> its threads, blockEvs |-> the events
\*             of its port_alloc_event_block records]
TraceMeta == Assert(FALSE, "TraceMeta: the Java override is not loaded")
\* EventPort's constants for the batch, computed by the loader from the records
\* (so that TLC does no quadratic work over long traces):
\*   threads, procs, threadProc[t] = the pid of the thread's records,
\*   numEvents, evOwner[e] = pid of e's port_alloc_event_* record,
\*   evNoShare[e] = e's port_send_event record says noshare,
\*   script[t] = the calls t starts, in order, each as {op} (see StartsCall in
\*   trace-validation/FORMAT.md), ops = all of them, maxEvents, profile,
\*   fds = one FD object per association (the loader cannot tell descriptor
\*   keys apart, so each CACHED slot of port_associate_fd is its own object),
\*   fdOf[e] = e's FD object, "" for other events; timers = the objects of
\*   the timers' SCACHED slots (timer_create), which are in fds too;
\*   fdLayer = the batch's layer (port_create's "layer").
TraceConst == Assert(FALSE, "TraceConst: the Java override is not loaded")
\* [e \in lo..hi |-> v], which the loader's Java override (TraceOverrides) builds
\* so that TLC applies it, and its EXCEPTs, by index: TLC's own function
\* constructor gives an array domain, searched element by element at every
\* application (FcnRcdValue.select), and evState, evFree, deliveries and fdAssoc
\* are applied at almost every step of a long trace.  The override may add
\* numbers below lo that no step reads (a TLC bug: TraceOverrides.tEvFcn).
TEvFcn(lo, hi, v) == [e \in lo..hi |-> v]
\* The same with w for the events of S (a segment's start: CheckpointInit).
TEvFcnIn(lo, hi, v, S, w) == [e \in lo..hi |-> IF e \in S THEN w ELSE v]
\* A 64-bit hash of v that equal values share, computed by the loader's Java
\* override (TraceOverrides, StateHash): TLC's fingerprint of a stress port's
\* state hashes every event's and thread's value, string by string, at every
\* state; the override hashes only the values a step made (the others by identity).
TStateHash(v) == v
\* Side effect only: tells the loader how far trace tr got (and the state).
TraceProgress(tr0, i0, st) == TRUE

TThreads == TraceConst.threads
TProcs == TraceConst.procs
TThreadProc == TraceConst.threadProc
\* EventPort's Proc(t): a spec thread is a slot that threads whose calls are over
\* hand on (the loader's ThreadSlots, MatchRecycleThread); its process is that of
\* the thread making its call th[t].step + 1 (procAt[t][k]: the pid of call k's
\* thread; the last element, after its last call, the last thread's).
TProc(t) == TraceConst.procAt[t][th[t].step + 1]
TNumEvents == TraceConst.numEvents
TEvOwner == TraceConst.evOwner
TEvNoShare == TraceConst.evNoShare
TMaxEvents == TraceConst.maxEvents
TScript == TraceConst.script
TOps == TraceConst.ops
TProfileName == TraceConst.profile
TFixes == IF TraceConst.profile = "illumos" THEN {"GetEtime"} ELSE AllFixes
TFds == TraceConst.fds
TFdOf(e) == TraceConst.fdOf[e]
TTimerObjs == TraceConst.timers
\* The FILE source's watch slots (port_associate_fop) are FD objects too, but
\* their events are PORT_SOURCE_FILE events: not FD-source slots for port polling.
TFopObjs == TraceConst.fops
TSrcFd(e) == IsFd(e) /\ ~IsTimer(e) /\ FdOf(e) \notin TFopObjs
TFdLayer == TraceConst.fdLayer
\* Events are numbered 1..TNumEvents in allocation order, batch-wide, by the loader.
EvOf(k) == k

-----------------------------------------------------------------------------
VARIABLES tr, i
traceVars == <<tr, i>>

\* Constant definitions: TLC evaluates them once, before the search.
Logs == TraceLogs
Meta == TraceMeta
Log == Logs[tr]

\* EventPort's StepThreads / StepEvents (TraceEventPort.cfg): the trace's own
\* threads and events, so that a state holds only the trace it follows.
TStepThreads == Meta[tr].threads
TStepEvents == Meta[tr].firstEv .. Meta[tr].lastEv
\* EventPort's PortCvChoices: only an event whose port_alloc_event_block record
\* says it sleeps is ever in allocWait (MatchAllocBlock), so the choice looks at
\* those (Meta[tr].blockEvs) and not at every event of a long trace: every slot
\* freed evaluates it.
TPortCvChoices ==
    LET S == {f \in Meta[tr].blockEvs : evState[f] = "allocWait"} IN IF S = {} THEN {0} ELSE S
\* EventPort's event-order reduction is the model checker's, not the code's:
\* real threads allocate and send in any order (the record names the event).
TAllocInOrder(e) == TRUE
\* Any port's descriptor may be polled by another port (nested ports): port
\* polling is on for every trace (EventPort's PortPolled).
TPortPolled == TRUE
\* port_copy_event's window (EventPort's CopyWindow) is on for traces: the
\* core's port_fd_callback record of a denial opens it (the event off the temp
\* list, DONEQ cleared) and its port_copy_event "deny" record, taken after the
\* flags are written back, closes it, so that another thread's
\* port_associate_fd in between is followed.
TCopyWindow == TRUE
\* EventPort's MayCall and CallMayStart (getf succeeds): a real thread does its
\* getf before its first record, which may come after a concurrent close's
\* closeandsetf record (and without the descriptor layer a call in flight
\* runs on after its own process's close anyway).
TMayCall(p) == TRUE
TCallMayStart(t, o) == TRUE
TSendInOrder(e) == TRUE

-----------------------------------------------------------------------------
(* Checkpoints and segments (trace-validation/README.md, "Segments")       *)
(*                                                                         *)
(* The core writes a checkpoint record now and then (FORMAT.md): the port's *)
(* abstract state at a quiet moment, with portq_mutex held, PORTQ_BLOCKED  *)
(* and PORTQ_CLOSE clear, no thread counted in port_getn and every         *)
(* allocated slot queued.  The loader gives it the queued events' numbers  *)
(* (slots) and renames its pids.  Wherever a checkpoint is in a trace,     *)
(* MatchCheckpoint requires the spec state to be what the record says.     *)
(* A long trace is cut at checkpoints into segments validated by TLC runs  *)
(* of their own: a segment starts from its first record's state            *)
(* (CheckpointInit) and ends with the next checkpoint marked "cut", where  *)
(* MatchCheckpoint requires the whole state to equal the one the next      *)
(* segment starts from: each thread between calls and unsignalled, no      *)
(* event alive but the queued ones, no FD association, no poller, and the  *)
(* descriptors holding the port (refs, which the loader rebuilds from the  *)
(* earlier records) as the record lists them.  So the segments' behaviours *)
(* join into one behaviour of the whole trace, and a trace accepted in     *)
(* segments is accepted whole.                                             *)
(***************************************************************************)

\* r.slots itself (EvOf is the identity): a tuple, which TLC applies by index
\* (EventPort's Remove says why that matters).
CkQueue(r) == r.slots
CkQueued(r) == {EvOf(r.slots[j]) : j \in DOMAIN r.slots}
CkFlags(r) == {r.qflags[j] : j \in DOMAIN r.qflags}
\* The queued events marked FREE.
CkFreed(r) == {EvOf(r.slots[j]) : j \in {k \in DOMAIN r.slots : r.frees[k]}}
\* alert_pid 0: no process ever set an alert (NoProc).
CkAlert(r) == [val |-> r.alert, pid |-> IF r.alert_pid = 0 THEN NoProc ELSE r.alert_pid]
CkRefs(r) == {r.refs[j] : j \in DOMAIN r.refs}
CkGen(r) == IF Fixed("ScanGen") THEN r.gen ELSE 0
\* The ends of an event's life: its number may be given to a later event (MatchRecycle).
EndStates == {"delivered", "discarded", "closed", "lost", "eagain", "eintr"}

\* The queued events whose state the record misstates.  (A set compared with {},
\* not \A: TLC evaluates it as a value, where a quantifier in an action is
\* expanded into one conjunct per element, each a level of its stack.)
CkBadQueued(r) ==
    {j \in DOMAIN r.slots :
        LET e == EvOf(r.slots[j]) IN
        ~ /\ evState[e] = "queued" /\ evFree[e] = r.frees[j] /\ deliveries[e] = 0
          /\ EvNoShare[e] = r.noshares[j]
          /\ r.noshares[j] => EvOwner[e] = r.owners[j]}

\* The port state a checkpoint reports.  An event's owner is compared where the
\* spec reads it (NOSHARE events: a shareable event's owner decides nothing and
\* its number is shared across processes, README.md "Slots").
CheckpointPort(r) ==
    /\ mutex = NoThread /\ temp = <<>> /\ blockHolder = NoThread
    /\ queue = CkQueue(r) /\ nent = r.nent /\ curr = r.curr /\ gen = CkGen(r)
    /\ qflags = CkFlags(r) /\ thrcnt = r.thrcnt /\ getn = r.getn
    /\ ring = <<>> /\ portqNget = 0
    /\ "ALERT" \in qflags => alert = CkAlert(r)
    /\ CkBadQueued(r) = {}


\* At a cut, the rest of the state the next segment starts from (CheckpointInit).
CheckpointCut(r) ==
    /\ {t \in StepThreads : th[t] # IdleTh(th[t].step) \/ sig[t]} = {}
    /\ ~panic /\ refs = CkRefs(r)
    /\ {e \in StepEvents : \/ e \notin CkQueued(r) /\ evState[e] \notin EndStates \cup {"none"}
                           \/ fdAssoc[e] \in FdLive} = {}
    /\ pollWait = {} /\ wkupOwed = {}

MatchCheckpoint(r) ==
    /\ r.action = "checkpoint"
    /\ CheckpointPort(r)
    /\ "cut" \in DOMAIN r => CheckpointCut(r)
    /\ UNCHANGED vars

CheckpointInit(r) ==
    /\ mutex = NoThread /\ queue = CkQueue(r) /\ nent = r.nent /\ temp = <<>> /\ qflags = CkFlags(r)
    /\ thrcnt = r.thrcnt /\ getn = r.getn /\ curr = r.curr /\ gen = CkGen(r)
    /\ alert = IF "ALERT" \in CkFlags(r) THEN CkAlert(r) ELSE [val |-> 0, pid |-> NoProc]
    /\ ring = <<>> /\ portqNget = 0
    /\ th = [t \in TStepThreads |-> IdleTh(0)]
    /\ sig = [t \in TStepThreads |-> FALSE]
    /\ ret = [t \in TStepThreads |-> NoRet]
    /\ refs = CkRefs(r)
    /\ blockHolder = NoThread /\ panic = FALSE
    /\ evState = TEvFcnIn(Meta[tr].firstEv, Meta[tr].lastEv, "none", CkQueued(r), "queued")
    /\ evFree = TEvFcnIn(Meta[tr].firstEv, Meta[tr].lastEv, FALSE, CkFreed(r), TRUE)
    /\ deliveries = TEvFcn(Meta[tr].firstEv, Meta[tr].lastEv, 0)
    /\ fdAssoc = TEvFcn(Meta[tr].firstEv, Meta[tr].lastEv, "none")
    /\ pollWait = {} /\ wkupOwed = {}

CreateInit ==
    /\ mutex = NoThread /\ queue = <<>> /\ nent = 0 /\ temp = <<>> /\ qflags = {}
    /\ thrcnt = 0 /\ getn = 0 /\ alert = [val |-> 0, pid |-> NoProc] /\ curr = 0 /\ gen = 0
    /\ ring = <<>> /\ portqNget = 0
    /\ th = [t \in TStepThreads |-> IdleTh(0)]
    /\ sig = [t \in TStepThreads |-> FALSE]
    /\ ret = [t \in TStepThreads |-> NoRet]
    /\ refs = {<<Meta[tr].creator, Meta[tr].creatorFd>>}
    /\ blockHolder = NoThread /\ panic = FALSE
    /\ evState = TEvFcn(Meta[tr].firstEv, Meta[tr].lastEv, "none")
    /\ evFree = TEvFcn(Meta[tr].firstEv, Meta[tr].lastEv, FALSE)
    /\ deliveries = TEvFcn(Meta[tr].firstEv, Meta[tr].lastEv, 0)
    /\ fdAssoc = TEvFcn(Meta[tr].firstEv, Meta[tr].lastEv, "none")
    /\ pollWait = {} /\ wkupOwed = {}

\* A trace starts at the port's creation, or (a segment of a longer one, README.md
\* "Segments") at its first record, a checkpoint: CheckpointInit above.
TraceInit ==
    /\ tr \in 1..Len(Logs)
    /\ IF Len(Logs[tr]) > 0 /\ "action" \in DOMAIN Logs[tr][1] /\ Logs[tr][1].action = "checkpoint"
       THEN i = 1 /\ CheckpointInit(Logs[tr][1])
       ELSE i = 0 /\ CreateInit

-----------------------------------------------------------------------------
(* Records of EventPort's actions *)

Has(r, f) == f \in DOMAIN r

\* Woken(x): the thread the record says was cv_signal'ed got the signal in the spec too.
Woken(x) == x \in StepThreads /\ sig'[x]


MatchGetn(r) ==
    /\ r.action = "port_getn" /\ r.next \in {"queue", "nowait", "EBADFD", "ALERT"}
    /\ port_getn(r.thread)
    /\ r.next = "queue" => th'[r.thread].pc = "queue"
    /\ r.next = "nowait" => th'[r.thread].pc = "nowait"
    /\ r.next = "EBADFD" => th'[r.thread].pc \in {"idle", "entry"} /\ mutex' = NoThread
    /\ r.next = "ALERT" => th'[r.thread].pc \in {"idle", "entry"} /\ mutex' = NoThread

\* The values a record reports of the core's state are compared with the spec's
\* (ReportsState): a record that names a wrong count is rejected even where the
\* count decides nothing in that run.
MatchQueueThread(r) ==
    /\ r.action = "port_queue_thread" /\ port_queue_thread(r.thread)
    /\ Has(r, "nget") => th[r.thread].nget = r.nget

MatchWait(r) == r.action = "cv_waituntil_sig" /\ cv_waituntil_sig(r.thread, r.r)

MatchDequeue(r) ==
    /\ r.action = "port_dequeue_thread"
    /\ th[r.thread].err = r.err
    \* an alerted waiter's record states the alert it returns (its snapshot, port.c:1299), and only its
    /\ (r.err = "ALERT") = Has(r, "alert")
    /\ Has(r, "alert") => th[r.thread].wAlert = r.alert
    /\ port_dequeue_thread(r.thread)

MatchCheckReturn(r) ==
    /\ r.action = "port_check_return_cond"
    /\ port_check_return_cond(r.thread)
    /\ thrcnt' = r.thrcnt

\* What a retriever reports as it takes the queue (portnowait, or port_block
\* once the block is taken): portq_getn, and the temp list's count and nmax.
ReportsTake(r) ==
    /\ Has(r, "getn") => getn' = r.getn
    /\ Has(r, "tnent") => th'[r.thread].tnent = r.tnent
    /\ Has(r, "nmax") => th'[r.thread].nmax = r.nmax

MatchNowait(r) ==
    /\ r.action = "portnowait"
    /\ portnowait(r.thread)
    /\ r.blocked <=> th'[r.thread].pc = "blockWait"
    /\ ReportsTake(r)

\* The block sleepers a step's port_unblock may wake: the one the record's
\* "blockwoke" names (which must be among S), else every choice in S.
BlockWoke(r, S) == IF Has(r, "blockwoke") THEN {r.blockwoke} \cap S ELSE S

\* A count query that took the block reports portq_nent (port.c:1205); any other
\* continuation reports no count.
MatchBlock(r) ==
    /\ r.action = "port_block" /\ th[r.thread].cont \in {"getn", "discard", "count"}
    /\ r.taken /\ th[r.thread].cont = "count" => Has(r, "count") /\ r.count = nent
    /\ r.taken /\ th[r.thread].cont # "count" => ~Has(r, "count")
    \* w ranges as in EventPort's Next: port_block takes w = NoThread or w \in
    \* WakeChoices, and each w of StepThreads costs an evaluation of WakeChoices.
    /\ \E w \in BlockWoke(r, WakeChoices \cup {NoThread}) : port_block(r.thread, w)
    /\ r.taken <=> th'[r.thread].pc # "blockWait"
    /\ r.taken /\ th[r.thread].cont = "getn" => ReportsTake(r)

\* Cleared(f): the step cleared portq_flags bit f, i.e. woke the pollers of
\* port_pollhd (a record's "pollwakeup" field says the code did).
Cleared(f) == f \in qflags /\ f \notin qflags'

MatchCopy(r) ==
    /\ r.action = "port_copy_event"
    /\ th[r.thread].pc = "deliver"
    /\ IF th[r.thread].pev # 0
       THEN \* the end of the window MatchFdCallback opened
            th[r.thread].pev = EvOf(r.kev) /\ r.outcome = "deny"
       ELSE th[r.thread].lev + 1 <= Len(temp) /\ temp[th[r.thread].lev + 1] = EvOf(r.kev)
    /\ port_copy_event(r.thread)
    /\ r.outcome = "deliver" => evState'[EvOf(r.kev)] = "collected"
    /\ r.outcome = "discard" => evState'[EvOf(r.kev)] = "discarded"
    /\ r.outcome = "deny" => th'[r.thread].lev = th[r.thread].lev + 1
    /\ Has(r, "curr") => curr' = r.curr
    /\ Has(r, "pollwakeup") <=> Cleared("POLLOUT")

MatchUnblock(r) ==
    /\ r.action = "port_unblock"
    /\ Len(th[r.thread].buf) = r.delivered + (IF Has(r, "lost") THEN r.lost ELSE 0)
    /\ \E w \in BlockWoke(r, WakeChoices) : port_unblock(r.thread, w)          \* as MatchBlock's w
    /\ Has(r, "woke") => Woken(r.woke)
    /\ Has(r, "pollwakeup") <=> Cleared("POLLIN")

MatchAlert(r) ==
    /\ r.action = "port_alert"
    /\ port_alert(r.thread)
    /\ (Has(r, "error") /\ r.error = "EBUSY") <=> ret'[r.thread].err = "EBUSY"
    /\ Has(r, "woke") => \A j \in DOMAIN r.woke : Woken(r.woke[j])

MatchRemoveAlert(r) == r.action = "port_remove_alert" /\ port_remove_alert(r.thread)

MatchClose(r) ==
    /\ r.action = "port_close"
    /\ Has(r, "thrcnt") => thrcnt = r.thrcnt
    /\ port_close(r.thread)

\* closeandsetf (the descriptor layer): the record lists the threads it marked
\* stale, which include every thread of the process in a call on the
\* descriptor (a real thread between its getf and its first record may be
\* listed too).
MatchCloseandsetf(r) ==
    /\ r.action = "closeandsetf"
    /\ closeandsetf(r.thread)
    /\ th'[r.thread].op.fd = r.fd
    /\ \A u \in StepThreads : Holds(u, Proc(r.thread), r.fd) => \E j \in DOMAIN r.stale : r.stale[j] = u

\* port_close_events: one record per queued event it discards; where
\* PORTQ_POLLWK_PEND is involved, one per check of the flag that sleeps
\* (resume: after a wake-up on portq_closecv) and one for the check after a
\* sleep that finds it clear.  The first sleep began in the step that ended
\* the queue (CloseEventsEnd): its record is a check.
MatchCloseEvents(r) ==
    /\ r.action = "port_close_events"
    /\ IF Has(r, "pollwk_pend")
       THEN IF r.resume
            THEN /\ port_close_events(r.thread)
                 /\ r.pollwk_pend <=> th'[r.thread].pc = "closePollWait"
            ELSE th[r.thread].pc = "closePollWait" /\ UNCHANGED vars
       ELSE /\ queue # <<>> /\ Head(queue) = EvOf(r.kev)
            /\ port_close_events(r.thread)

MatchDiscard(r) ==
    /\ r.action = "port_discard_events"
    /\ \E w \in BlockWoke(r, WakeChoices \cup {NoThread}) : port_discard_events(r.thread, w)   \* as MatchBlock's w
    /\ r.blocked <=> th'[r.thread].pc = "blockWait"

MatchAlloc(r) ==
    /\ r.action = "port_alloc_event_local"
    /\ port_alloc_event_local(EvOf(r.kev))
    /\ (Has(r, "error") /\ r.error = "EAGAIN") <=> evState'[EvOf(r.kev)] = "eagain"
    /\ Has(r, "curr") => curr' = r.curr

\* port_alloc_event_block: r (absent on the first check) is how the previous
\* sleep on port_cv ended; sleep says it (again) found the port full and
\* sleeps; curr is port_curr after the step.
MatchAllocBlock(r) ==
    LET e == EvOf(r.kev) IN
    /\ r.action = "port_alloc_event_block"
    /\ port_alloc_event_block(e, IF Has(r, "r") THEN r.r ELSE "none")
    /\ (Has(r, "sleep") /\ r.sleep) <=> evState'[e] = "allocWait"
    /\ (Has(r, "error") /\ r.error = "EINTR") <=> evState'[e] = "eintr"
    /\ Has(r, "curr") => curr' = r.curr

MatchSend(r) ==
    /\ r.action = "port_send_event"
    /\ port_send_event(EvOf(r.kev))
    /\ Has(r, "woke") => Woken(r.woke)
    /\ Has(r, "pollwakeup") <=> SendPolls(EvOf(r.kev))
    /\ Has(r, "nent") => nent' = r.nent

-----------------------------------------------------------------------------
(* Records of port polling (port_vnops.c port_poll, port_subr.c) *)

\* The poll bits of a record as EventPort's kinds (sys/poll.h: POLLIN 1, POLLOUT 4).
PollBits(n) == (IF (n \div 1) % 2 = 1 THEN {"POLLIN"} ELSE {}) \cup (IF (n \div 4) % 2 = 1 THEN {"POLLOUT"} ELSE {})

\* port_poll, by whatever polls the port (another port's port_associate_fd):
\* what was ready (revents) and the counters it was decided on; nothing
\* ready: the poller waits (EventPort's port_poll).
MatchPoll(r) ==
    LET ev == PollBits(r.events) IN
    /\ r.action = "port_poll"
    /\ r.nent = nent /\ r.curr = curr /\ ev # {}
    /\ PollBits(r.revents) = PollReady \cap ev
    /\ IF r.revents = 0 THEN port_poll(ev) ELSE UNCHANGED vars

\* port_pollwkup after pollwakeup queued FD event kev; events = POLLIN: it
\* took the job of notifying the port's pollers (PORTQ_POLLWK_PEND).
MatchPollwkup(r) ==
    /\ r.action = "port_pollwkup"
    /\ port_pollwkup(EvOf(r.kev))
    /\ (r.events # 0) <=> ("POLLWK_PEND" \in qflags' /\ "POLLWK_PEND" \notin qflags)

MatchPollwkdone(r) ==
    /\ r.action = "port_pollwkdone"
    /\ r.closecv <=> Fixed("PollwkdoneClose")
    /\ \E w \in PortCvChoices : port_pollwkdone(w)   \* port_pollwkdone takes w \in PortCvChoices

\* port_free_event_local woke the POLLOUT pollers after a step that freed a
\* slot and was recorded before (port_remove_fd_object, port_close_events,
\* a timer's port_free_event): that step cleared PORTQ_POLLOUT (FreeSlotPolls).
MatchFreeLocal(r) ==
    /\ r.action = "port_free_event_local"
    /\ "POLLOUT" \notin qflags /\ r.curr = curr
    /\ UNCHANGED vars

-----------------------------------------------------------------------------
(* Records of the FD source (PortFdSource, port_fd.c) *)

\* port_associate_fd: the arming step (poll = FALSE; reassoc says whether the
\* key had an association, owner is its owner), or the call's own VOP_POLL
\* finding the object ready (poll = TRUE), which is pollwakeup's step.
MatchAssociate(r) ==
    LET e == EvOf(r.kev) IN
    /\ r.action = "port_associate_fd"
    /\ IF r.poll
       THEN pollwakeup(e, "associate")
       ELSE /\ r.reassoc <=> fdAssoc[e] # "new"
            /\ EvOwner[e] = r.owner
            /\ port_associate_fd(e)

MatchPollwakeup(r) == r.action = "pollwakeup" /\ pollwakeup(EvOf(r.kev), "pollhead")

\* port_fd_callback denied the event after the retriever's cursor (EACCES: the
\* retriever's process is not the owner and has not got the same open file
\* under that descriptor): the step that opens port_copy_event's window (the
\* event off the temp list, DONEQ cleared: CopyWindow); the port_copy_event
\* "deny" record that follows closes it.
MatchFdCallback(r) ==
    LET t == r.thread  e == EvOf(r.kev) IN
    /\ r.action = "port_fd_callback" /\ r.error = "EACCES"
    /\ th[t].pc = "deliver" /\ th[t].pev = 0
    /\ th[t].lev + 1 <= Len(temp) /\ temp[th[t].lev + 1] = e
    /\ IsFd(e) /\ EvOwner[e] # Proc(t) /\ EvOwner[e] = r.owner
    /\ IF Windowed(t, e) THEN port_fd_callback(t) ELSE UNCHANGED vars

\* port_remove_done_event (port_subr.c): removed = 1 iff the event was queued.
MatchRemoveDone(r) ==
    LET e == EvOf(r.kev) IN
    /\ r.action = "port_remove_done_event"
    /\ (r.removed = 1) <=> evState[e] = "queued"
    /\ \E w \in BlockWoke(r, WakeChoices) : port_remove_done_event(e, w)       \* as MatchBlock's w

MatchRemoveFdObject(r) == r.action = "port_remove_fd_object" /\ port_remove_fd_object(EvOf(r.kev))

\* port_close_pfd: the owner closed the descriptor; cached = FALSE: another
\* path removed the association first (nothing left to do).
MatchClosePfd(r) ==
    LET e == EvOf(r.kev) IN
    /\ r.action = "port_close_pfd" /\ r.pid = EvOwner[e]
    /\ IF r.cached THEN port_close_pfd(e) ELSE fdAssoc[e] = "gone" /\ UNCHANGED vars

\* port_dissociate_fd's record is taken after the removal it did (its
\* port_remove_done_event and port_remove_fd_object records come first):
\* the association is gone and the caller was its owner (port.c:225-228).
MatchDissociate(r) ==
    LET e == EvOf(r.kev) IN
    /\ r.action = "port_dissociate_fd"
    /\ r.pid = EvOwner[e] /\ fdAssoc[e] = "gone"
    /\ UNCHANGED vars

\* port_close_sourcefd: the end of the FD source's close callback (and
\* port_close_fop, the FILE source's); a close that had nothing of the source
\* to remove passes through it without a spec step, and so does one after which
\* other sources (timers) still have to remove theirs (TraceLeaveSources then
\* takes the step).
MatchCloseSourcefd(r) ==
    /\ r.action \in {"port_close_sourcefd", "port_close_fop"}
    /\ IF th[r.thread].pc = "closeSources" /\ CloseTargets(r.thread) = {}
       THEN port_close_sourcefd(r.thread)
       ELSE (r.removed = 0 \/ th[r.thread].pc = "closeSources") /\ UNCHANGED vars

-----------------------------------------------------------------------------
(* Records of the FILE source (FileWatchSource, port_fop.c): a watch's CACHED
   slot is validated as an FD association, an exception event's DEFAULT slot
   as a non-shareable event (the loader, Slots) *)

\* port_associate_fop: the arming step of a new watch or a re-association
\* (reassoc; a still-queued event was taken back by the port_remove_done_event
\* record before).
MatchAssociateFop(r) ==
    LET e == EvOf(r.kev) IN
    /\ r.action = "port_associate_fop"
    /\ r.reassoc <=> fdAssoc[e] # "new"
    /\ EvOwner[e] = r.pid
    /\ port_associate_fd(e)

\* port_fop_sendevent (an operation on the vnode that the watch asked for) and
\* port_check_timestamp (the file_obj's times differ): an active watch fires
\* once; its port_send_event record follows (no port_pollwkup: a FILE event).
MatchFopFire(r) ==
    /\ r.action \in {"port_fop_sendevent", "port_check_timestamp"}
    /\ pollwakeup(EvOf(r.kev), "associate")

\* port_remove_fop (dissociation, close, re-association to another file) and
\* port_fop_excep (an exception event): the watch is deactivated — the step of
\* port_dissociate_fd when it was armed, else nothing left to disarm.
MatchFopDeactivate(r) ==
    LET e == EvOf(r.kev) IN
    /\ r.action \in {"port_remove_fop", "port_fop_excep"}
    /\ fdAssoc[e] \in FdLive
    /\ IF fdAssoc[e] = "armed" THEN port_dissociate_fd(EvOwner[e], e) ELSE UNCHANGED vars

\* port_pcache_remove_fop: the watch leaves the cache and its slot is freed.
MatchPcacheRemoveFop(r) == r.action = "port_pcache_remove_fop" /\ port_remove_fd_object(EvOf(r.kev))

\* port_dissociate_fop's record follows the removal it did: the watch is gone
\* and was the caller's (watches are per process).
MatchDissociateFop(r) ==
    LET e == EvOf(r.kev) IN
    /\ r.action = "port_dissociate_fop"
    /\ r.pid = EvOwner[e] /\ fdAssoc[e] = "gone"
    /\ UNCHANGED vars

\* port_fop_callback denied the event after the retriever's cursor to a process
\* other than the watch's (EACCES), a watch's event or an exception event; the
\* port_copy_event "deny" record that follows is the step.
MatchFopCallback(r) ==
    LET t == r.thread  e == EvOf(r.kev) IN
    /\ r.action = "port_fop_callback" /\ r.error = "EACCES"
    /\ th[t].pc = "deliver" /\ th[t].lev + 1 <= Len(temp) /\ temp[th[t].lev + 1] = e
    /\ IsFd(e) \/ EvNoShare[e]
    /\ EvOwner[e] = r.owner /\ r.owner # Proc(t)
    /\ UNCHANGED vars

-----------------------------------------------------------------------------
(* Records of the TIMER source (TimerSource, timer.c); the loader gives
   timer_fire and timer_port_callback the kev of their timer's slot *)

\* timer_create: the SCACHED slot just allocated is armed, for the creator.
MatchTimerCreate(r) ==
    LET e == EvOf(r.kev) IN
    /\ r.action = "timer_create" /\ IsTimer(e) /\ EvOwner[e] = r.pid
    /\ port_associate_fd(e)

\* timer_fire: pending = 1, no expiry was pending: the slot is sent (its
\* port_send_event record follows).  pending > 1: an overrun, counted while
\* the event is pending (queued, or in the temp list of a retriever that
\* has not reached it) or after the port dropped the timer: no step.
MatchTimerFire(r) ==
    LET e == EvOf(r.kev) IN
    /\ r.action = "timer_fire" /\ IsTimer(e) /\ EvOwner[e] = r.pid
    /\ IF r.pending = 1
       THEN timer_fire(e)
       ELSE /\ evState[e] = "queued" \/ fdAssoc[e] \in {"disarmed", "gone"}
            /\ UNCHANGED vars

\* timer_port_callback denied the event after the retriever's cursor to
\* another process (EACCES); the port_copy_event "deny" record that follows
\* is the step.
MatchTimerCallback(r) ==
    LET t == r.thread  e == EvOf(r.kev) IN
    /\ r.action = "timer_port_callback" /\ r.error = "EACCES"
    /\ th[t].pc = "deliver" /\ th[t].lev + 1 <= Len(temp) /\ temp[th[t].lev + 1] = e
    /\ IsTimer(e) /\ EvOwner[e] = r.owner /\ r.owner # Proc(t)
    /\ UNCHANGED vars

\* timer_close_port (a close by the timer's process) and timer_delete: the
\* owner clears IT_PORT (port_dissociate_fd's step); port_remove_done_event
\* and port_free_event follow.
MatchTimerDrop(r) ==
    LET e == EvOf(r.kev) IN
    /\ r.action \in {"timer_close_port", "timer_delete"} /\ IsTimer(e)
    /\ port_dissociate_fd(r.pid, e)

\* port_free_event of a dropped timer's slot: the slot is freed (curr after).
MatchFreeEvent(r) ==
    LET e == EvOf(r.kev) IN
    /\ r.action = "port_free_event" /\ IsTimer(e)
    /\ port_remove_fd_object(e)
    /\ Has(r, "curr") => curr' = r.curr

-----------------------------------------------------------------------------
(* PORT_SOURCE_AIO (aio.c, aio_subr.c): EventPort has no step of its own for *)
(* it.  A request reserves a DEFAULT slot at submission                      *)
(* (port_alloc_event_local; aiorw is recorded once the request is queued,    *)
(* so its completion may come first), its completion (aio_done) sends that  *)
(* slot (port_send_event, the next record), and aio_port_callback denies it  *)
(* to any process but the owner's: the loader makes the slot non-shareable. *)
(* A close that finds its process's requests in progress waits for them and *)
(* then discards their completions (port_remove_done_event, port_free_event  *)
(* on a DEFAULT slot): not modelled, such a trace is rejected there.        *)

\* aiorw: the request on slot kev is the recording process's.
MatchAiorw(r) ==
    /\ r.action = "aiorw" /\ EvOwner[EvOf(r.kev)] = r.pid /\ ~IsFd(EvOf(r.kev))
    /\ UNCHANGED vars

\* aio_done: the owner's request completes; its reserved slot, not yet sent,
\* is sent by the port_send_event that follows.
MatchAioDone(r) ==
    LET e == EvOf(r.kev) IN
    /\ r.action = "aio_done" /\ EvOwner[e] = r.pid /\ ~IsFd(e) /\ evState[e] = "alloc"
    /\ UNCHANGED vars

\* aio_close_port with no request of the closer in progress: nothing to wait
\* for, nothing discarded (completed events stay queued for their owner).
MatchAioClosePort(r) == r.action = "aio_close_port" /\ r.pending = 0 /\ UNCHANGED vars

-----------------------------------------------------------------------------
(* Paths the spec leaves out, matched here exactly as the code runs them *)

\* Calls that return before taking portq_mutex or before touching shared
\* state (nget > max, nget == 0: port.c:1184-1185, port.c:1215-1218), port creation
\* and the vnode's inactivation: no spec state changes.
MatchNoOp(r) ==
    /\ \/ r.action = "port_getn" /\ r.next \in {"EINVAL", "nget0"}
       \/ r.action \in {"port_create", "port_inactive"}
    /\ UNCHANGED vars

\* The count query (port.c:1189-1209) when PORTQ_BLOCKED is free: take the block,
\* read portq_nent, port_unblock (which may wake a block sleeper).
MatchCount(r) ==
    /\ r.action = "port_getn" /\ r.next = "count"
    /\ th[r.thread].pc = "idle" /\ mutex = NoThread /\ "BLOCKED" \notin qflags
    /\ r.nget = nent
    /\ \E w \in BlockWoke(r, WakeChoices) : sig' = SignalBlock(sig, w)
    /\ UNCHANGED <<queueVars, waiterVars, th, ret, ghostVars, fdVars, pollVars>>

\* The count query (port.c:1189-1196) when PORTQ_BLOCKED is taken: port_block
\* sleeps on portq_block_cv; EventPort's port_block (cont "count") finishes
\* the query when a port_unblock's signal lets it take the block.
MatchCountWait(r) ==
    /\ r.action = "port_getn" /\ r.next = "count_wait"
    /\ th[r.thread].pc = "idle" /\ mutex = NoThread /\ "BLOCKED" \in qflags
    /\ th' = [th EXCEPT ![r.thread].pc = "blockWait", ![r.thread].cont = "count"]
    /\ UNCHANGED <<queueVars, waiterVars, sig, ret, ghostVars, fdVars, pollVars>>

\* port_get_timeout's EINVAL on the first pass (port.c:1272-1278): thrcnt++, then
\* port_check_return_cond returns the error.
MatchEinvalTimeout(r) ==
    /\ r.action = "port_getn" /\ r.next = "EINVAL_TIMEOUT"
    /\ th[r.thread].pc = "idle" /\ mutex = NoThread
    /\ "CLOSE" \notin qflags /\ "ALERT" \notin qflags
    /\ \E o \in NextOps(r.thread) :
          th' = [th EXCEPT ![r.thread] = [IdleTh(th[r.thread].step) EXCEPT !.pc = "checkret", !.op = o,
                                     !.nget = o.nget, !.err = "EINVAL"]]
    /\ thrcnt' = thrcnt + 1 /\ mutex' = r.thread
    /\ UNCHANGED <<queue, nent, temp, qflags, getn, alert, curr, gen, waiterVars, sig, ret, ghostVars, fdVars,
                   pollVars>>

\* The loader reuses the number of an event that has reached an end state for a
\* later event with the same owner and shareability (trace-validation/README.md),
\* so that the state grows with the events alive at once, not with the trace.
MatchRecycle(r) ==
    /\ r.action = "recycle"
    /\ evState[EvOf(r.kev)] \in {"delivered", "discarded", "closed", "lost", "eagain", "eintr"}
    /\ evState' = [evState EXCEPT ![EvOf(r.kev)] = "none"]
    /\ deliveries' = [deliveries EXCEPT ![EvOf(r.kev)] = 0]
    /\ evFree' = [evFree EXCEPT ![EvOf(r.kev)] = FALSE]
    /\ UNCHANGED <<queueVars, waiterVars, threadVars, refs, blockHolder, panic, fdVars, pollVars>>

\* The loader hands a spec thread whose calls are over to a later thread
\* (ThreadSlots): only between calls, and the new thread starts unsignalled
\* with no result, as a fresh thread would.
MatchRecycleThread(r) ==
    /\ r.action = "recycle_thread"
    /\ th[r.thread] = IdleTh(th[r.thread].step) /\ mutex # r.thread
    /\ sig' = [sig EXCEPT ![r.thread] = FALSE]
    /\ ret' = [ret EXCEPT ![r.thread] = NoRet]
    /\ UNCHANGED <<queueVars, waiterVars, th, ghostVars, fdVars, pollVars>>

\* fork(2): the child holds the port too, at the same number (its close is
\* then per-process).
MatchFork(r) ==
    /\ r.action = "fork"
    /\ <<r.pid, r.fd>> \in refs
    /\ refs' = refs \cup {<<r.child, r.fd>>}
    /\ UNCHANGED <<queueVars, waiterVars, threadVars, blockHolder, panic, evState, evFree, deliveries, fdVars,
                   pollVars>>

\* dup, dup2 (fcntl.c) and descriptor passing (I_SENDFD / I_RECVFD): one more
\* descriptor holds the open file (f_count + 1), in the same process or in the
\* receiver.  (dup2's source may be closed by then: its reference was counted
\* before.)
MatchDup(r) ==
    /\ \/ r.action = "dup" /\ refs' = refs \cup {<<r.pid, r.newfd>>}
       \/ r.action = "sendfd" /\ <<r.pid, r.fd>> \in refs /\ refs' = refs \cup {<<r.to, r.newfd>>}
    /\ UNCHANGED <<queueVars, waiterVars, threadVars, blockHolder, panic, evState, evFree, deliveries, fdVars,
                   pollVars>>

\* The last close between its two waits runs the sources' close callbacks
\* without the mutex (port_vnops.c); the record says whether the closer then waits for
\* outstanding slots, which EventPort decided in the same step as the end of
\* the thrcnt wait.
MatchCloseSources(r) ==
    /\ r.action = "port_close_sources"
    /\ r.wait <=> th[r.thread].pc = "closeCurrWait"
    /\ UNCHANGED vars

-----------------------------------------------------------------------------
\* One record, one step: dispatch on the record's action (so TLC evaluates one arm).
TraceNext ==
    /\ i < Len(Log)
    /\ LET r == Log[i + 1] IN
       CASE r.action = "port_getn" ->
                 MatchGetn(r) \/ MatchNoOp(r) \/ MatchCount(r) \/ MatchCountWait(r) \/ MatchEinvalTimeout(r)
         [] r.action = "port_queue_thread" -> MatchQueueThread(r)
         [] r.action = "cv_waituntil_sig" -> MatchWait(r)
         [] r.action = "port_dequeue_thread" -> MatchDequeue(r)
         [] r.action = "port_check_return_cond" -> MatchCheckReturn(r)
         [] r.action = "portnowait" -> MatchNowait(r)
         [] r.action = "port_block" -> MatchBlock(r)
         [] r.action = "port_copy_event" -> MatchCopy(r)
         [] r.action = "port_unblock" -> MatchUnblock(r)
         [] r.action = "port_alert" -> MatchAlert(r)
         [] r.action = "port_remove_alert" -> MatchRemoveAlert(r)
         [] r.action = "port_close" -> MatchClose(r)
         [] r.action = "port_close_events" -> MatchCloseEvents(r)
         [] r.action = "port_discard_events" -> MatchDiscard(r)
         [] r.action = "port_alloc_event_local" -> MatchAlloc(r)
         [] r.action = "port_alloc_event_block" -> MatchAllocBlock(r)
         [] r.action = "port_send_event" -> MatchSend(r)
         [] r.action = "fork" -> MatchFork(r)
         [] r.action = "closeandsetf" -> MatchCloseandsetf(r)
         [] r.action \in {"dup", "sendfd"} -> MatchDup(r)
         [] r.action = "port_close_sources" -> MatchCloseSources(r)
         [] r.action = "recycle" -> MatchRecycle(r)
         [] r.action = "recycle_thread" -> MatchRecycleThread(r)
         [] r.action = "checkpoint" -> MatchCheckpoint(r)
         [] r.action = "port_associate_fd" -> MatchAssociate(r)
         [] r.action = "pollwakeup" -> MatchPollwakeup(r)
         [] r.action = "port_fd_callback" -> MatchFdCallback(r)
         [] r.action = "port_remove_done_event" -> MatchRemoveDone(r)
         [] r.action = "port_remove_fd_object" -> MatchRemoveFdObject(r)
         [] r.action = "port_close_pfd" -> MatchClosePfd(r)
         [] r.action = "port_dissociate_fd" -> MatchDissociate(r)
         [] r.action = "port_close_sourcefd" -> MatchCloseSourcefd(r)
         [] r.action = "timer_create" -> MatchTimerCreate(r)
         [] r.action = "timer_fire" -> MatchTimerFire(r)
         [] r.action = "timer_port_callback" -> MatchTimerCallback(r)
         [] r.action \in {"timer_close_port", "timer_delete"} -> MatchTimerDrop(r)
         [] r.action = "port_free_event" -> MatchFreeEvent(r)
         [] r.action = "port_poll" -> MatchPoll(r)
         [] r.action = "port_pollwkup" -> MatchPollwkup(r)
         [] r.action = "port_pollwkdone" -> MatchPollwkdone(r)
         [] r.action = "port_free_event_local" -> MatchFreeLocal(r)
         [] r.action = "port_associate_fop" -> MatchAssociateFop(r)
         [] r.action \in {"port_fop_sendevent", "port_check_timestamp"} -> MatchFopFire(r)
         [] r.action \in {"port_remove_fop", "port_fop_excep"} -> MatchFopDeactivate(r)
         [] r.action = "port_pcache_remove_fop" -> MatchPcacheRemoveFop(r)
         [] r.action = "port_dissociate_fop" -> MatchDissociateFop(r)
         [] r.action = "port_fop_callback" -> MatchFopCallback(r)
         [] r.action = "port_close_fop" -> MatchCloseSourcefd(r)
         [] r.action = "aiorw" -> MatchAiorw(r)
         [] r.action = "aio_done" -> MatchAioDone(r)
         [] r.action = "aio_close_port" -> MatchAioClosePort(r)
         [] r.action \in {"port_create", "port_inactive"} -> MatchNoOp(r)
         [] OTHER -> MatchNoOp(r)
    /\ i' = i + 1
    /\ UNCHANGED tr

\* A closer whose sources' close callbacks removed everything goes on
\* (EventPort's port_close_sourcefd) with no record of its own when the last
\* source to finish is not the FD source (timers): the step is taken just
\* before the closer's next record.
TraceLeaveSources ==
    /\ i < Len(Log)
    /\ LET r == Log[i + 1] IN
       /\ r.action \in {"port_close_sources", "port_discard_events", "port_close_events", "port_close",
                        "recycle_thread"}
       /\ th[r.thread].pc = "closeSources"
       /\ port_close_sourcefd(r.thread)
    /\ UNCHANGED traceVars

\* TraceEventPort.cfg's VIEW: the state as TLC tells states apart, exact in tr and i
\* (so two states share a view only when their hashes collide at one record).
TStateView == <<tr, i, TStateHash(vars)>>

\* The end of a trace: stutter (so TLC reports no deadlock).
TraceDone == i = Len(Log) /\ UNCHANGED <<vars, traceVars>>
TraceStep == TraceNext \/ TraceLeaveSources \/ TraceDone

TraceSpec == TraceInit /\ [][TraceStep]_<<vars, traceVars>>

\* Evaluated on every state: reports progress to the loader; never false.
TraceProgressInv == TraceProgress(tr, i, <<mutex, queue, nent, temp, qflags, thrcnt, getn, ring, th, sig, refs, evState, fdAssoc,
                                            pollWait>>)

\* For the rejection report: which EventPort actions the stuck state enables
\* (any parameters), evaluated only at the <<trace, index>> pairs the loader
\* asks for (ReportAt).
ReportAt == Assert(FALSE, "ReportAt: the Java override is not loaded")
EnabledActions ==
    {n \in {"port_getn", "port_queue_thread", "cv_waituntil_sig", "port_dequeue_thread",
            "port_check_return_cond", "portnowait", "port_block", "port_copy_event", "port_fd_callback",
            "port_unblock", "port_alert", "port_remove_alert", "port_close",
            "port_close_events", "port_discard_events", "port_alloc_event_local", "port_alloc_event_block",
            "port_send_event", "port_associate_fd", "pollwakeup", "port_remove_done_event",
            "port_remove_fd_object", "port_close_sourcefd", "timer_fire", "port_poll", "port_pollwkup",
            "port_pollwkdone", "closeandsetf"} :
        CASE n = "port_getn" -> ENABLED (\E t \in StepThreads : port_getn(t))
          [] n = "port_queue_thread" -> ENABLED (\E t \in StepThreads : port_queue_thread(t))
          [] n = "cv_waituntil_sig" -> ENABLED (\E t \in StepThreads, r \in {"signal", "timeout", "intr"} : cv_waituntil_sig(t, r))
          [] n = "port_dequeue_thread" -> ENABLED (\E t \in StepThreads : port_dequeue_thread(t))
          [] n = "port_check_return_cond" -> ENABLED (\E t \in StepThreads : port_check_return_cond(t))
          [] n = "portnowait" -> ENABLED (\E t \in StepThreads : portnowait(t))
          [] n = "port_block" -> ENABLED (\E t \in StepThreads, w \in StepThreads \cup {NoThread} : port_block(t, w))
          [] n = "port_copy_event" -> ENABLED (\E t \in StepThreads : port_copy_event(t))
          [] n = "port_fd_callback" -> ENABLED (\E t \in StepThreads : port_fd_callback(t))
          [] n = "port_unblock" -> ENABLED (\E t \in StepThreads, w \in StepThreads \cup {NoThread} : port_unblock(t, w))
          [] n = "port_alert" -> ENABLED (\E t \in StepThreads : port_alert(t))
          [] n = "port_remove_alert" -> ENABLED (\E t \in StepThreads : port_remove_alert(t))
          [] n = "port_close" -> ENABLED (\E t \in StepThreads : port_close(t))
          [] n = "port_close_events" -> ENABLED (\E t \in StepThreads : port_close_events(t))
          [] n = "port_discard_events" -> ENABLED (\E t \in StepThreads, w \in StepThreads \cup {NoThread} : port_discard_events(t, w))
          [] n = "port_alloc_event_local" -> ENABLED (\E e \in StepEvents : port_alloc_event_local(e))
          [] n = "port_alloc_event_block" -> ENABLED (\E e \in StepEvents, x \in {"none", "signal", "intr"} : port_alloc_event_block(e, x))
          [] n = "port_associate_fd" -> ENABLED (\E e \in StepEvents : port_associate_fd(e))
          [] n = "pollwakeup" -> ENABLED (\E e \in StepEvents, v \in PollwakeupVias : pollwakeup(e, v))
          [] n = "port_remove_done_event" -> ENABLED (\E e \in StepEvents, w \in StepThreads \cup {NoThread} : port_remove_done_event(e, w))
          [] n = "port_remove_fd_object" -> ENABLED (\E e \in StepEvents : port_remove_fd_object(e))
          [] n = "port_close_sourcefd" -> ENABLED (\E t \in StepThreads : port_close_sourcefd(t))
          [] n = "timer_fire" -> ENABLED (\E e \in StepEvents : timer_fire(e))
          [] n = "port_poll" -> ENABLED (\E ev \in SUBSET PollKinds : port_poll(ev))
          [] n = "port_pollwkup" -> ENABLED (\E e \in StepEvents : port_pollwkup(e))
          [] n = "port_pollwkdone" -> ENABLED (\E w \in StepEvents \cup {0} : port_pollwkdone(w))
          [] n = "closeandsetf" -> ENABLED (\E t \in StepThreads : closeandsetf(t))
          [] OTHER -> ENABLED (\E e \in StepEvents : port_send_event(e))}
TraceReportInv == TraceProgress(tr, i, IF <<tr, i>> \in ReportAt THEN EnabledActions ELSE {})

=============================================================================
