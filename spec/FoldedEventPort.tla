--------------------------- MODULE FoldedEventPort ---------------------------
(***************************************************************************)
(* The model checkers' relation: EventPort with each critical section of   *)
(* portq_mutex folded into one step.                                       *)
(*                                                                         *)
(* In EventPort a thread that takes portq_mutex performs a chain of        *)
(* actions before it releases it: the engine's entry (or the return of its *)
(* cv wait), port_queue_thread, port_dequeue_thread,                       *)
(* port_check_return_cond, portnowait.  No other thread can observe the    *)
(* states inside the chain (spec/README.md, "The folded relation"), so     *)
(* FoldedNext takes the whole chain as one step: the acquiring step, then  *)
(* the holder's links (Link, Chain) until the mutex is free again.  TLC has no    *)
(* action composition, so the chain is computed on records of all the     *)
(* variables: the links are EventPort's actions restated as functions of   *)
(* such a record, and every state function they use is EventPort's own,   *)
(* evaluated at the record through the instance At(S).                     *)
(*                                                                         *)
(* Trace validation keeps EventPort's Next, whose steps match the Java     *)
(* core's records one by one.  FoldedEquivalenceTest checks, model by      *)
(* model, that FoldedSpec reaches exactly the states of Spec in which the  *)
(* mutex is free (plus the panic states, where a holder dies).             *)
(***************************************************************************)
EXTENDS EventPort

\* EventPort at the state S (a record of all its variables).
At(S) == INSTANCE EventPort WITH
    mutex <- S.mutex, queue <- S.queue, nent <- S.nent, temp <- S.temp, qflags <- S.qflags,
    thrcnt <- S.thrcnt, getn <- S.getn, alert <- S.alert, curr <- S.curr, gen <- S.gen,
    ring <- S.ring, portqNget <- S.portqNget, th <- S.th, sig <- S.sig, ret <- S.ret,
    refs <- S.refs, blockHolder <- S.blockHolder, panic <- S.panic, evState <- S.evState,
    evFree <- S.evFree, deliveries <- S.deliveries, fdAssoc <- S.fdAssoc,
    pollWait <- S.pollWait, wkupOwed <- S.wkupOwed

\* The current state as a record, and a step to the state S.
Here ==
    [mutex |-> mutex, queue |-> queue, nent |-> nent, temp |-> temp, qflags |-> qflags,
     thrcnt |-> thrcnt, getn |-> getn, alert |-> alert, curr |-> curr, gen |-> gen,
     ring |-> ring, portqNget |-> portqNget, th |-> th, sig |-> sig, ret |-> ret,
     refs |-> refs, blockHolder |-> blockHolder, panic |-> panic, evState |-> evState,
     evFree |-> evFree, deliveries |-> deliveries, fdAssoc |-> fdAssoc,
     pollWait |-> pollWait, wkupOwed |-> wkupOwed]
Become(S) ==
    /\ mutex' = S.mutex /\ queue' = S.queue /\ nent' = S.nent /\ temp' = S.temp
    /\ qflags' = S.qflags /\ thrcnt' = S.thrcnt /\ getn' = S.getn /\ alert' = S.alert
    /\ curr' = S.curr /\ gen' = S.gen /\ ring' = S.ring /\ portqNget' = S.portqNget
    /\ th' = S.th /\ sig' = S.sig /\ ret' = S.ret /\ refs' = S.refs
    /\ blockHolder' = S.blockHolder /\ panic' = S.panic /\ evState' = S.evState
    /\ evFree' = S.evFree /\ deliveries' = S.deliveries /\ fdAssoc' = S.fdAssoc
    /\ pollWait' = S.pollWait /\ wkupOwed' = S.wkupOwed

-----------------------------------------------------------------------------
(* The links of a chain: EventPort's holder actions as functions of S *)

\* EngineReturn at S.
ReturnF(t, S, rec, e, n, w) ==
    [S EXCEPT !.th = [S.th EXCEPT ![t] = ReturnTh(rec, e, n, w)],
              !.ret = [S.ret EXCEPT ![t] = At(S)!ReturnRet(t, rec, e, n, w)]]

\* port_queue_thread(t) at S.
QueueF(t, S) ==
    LET r1 == InsertAt(S.ring, At(S)!InsertPos(S.ring, S.th[t].nget), t)
        wl == At(S)!WaitLoop(t, S.th[t])
    IN [S EXCEPT !.ring = r1, !.portqNget = S.th[r1[1]].nget,
                 !.th = [S.th EXCEPT ![t] = wl[1]], !.mutex = wl[2]]

\* port_dequeue_thread(t) at S.
DequeueF(t, S) ==
    LET rec == S.th[t]
        S1 == [S EXCEPT !.ring = Drop(S.ring, t), !.portqNget = At(S)!HeadNget(Drop(S.ring, t))]
    IN IF rec.err = "ALERT" /\ ~Fixed("AlertReturn")
       THEN ReturnF(t, [S1 EXCEPT !.thrcnt = S.thrcnt - 1, !.mutex = NoThread], rec, "OK", 1, 1)
       ELSE [S1 EXCEPT !.th = [S.th EXCEPT ![t].pc =
                 IF rec.err \in {"ALERT", "EINTR", "EBADFD"} \/ (rec.err = "ETIME" /\ rec.flag # {})
                 THEN "checkret" ELSE "nowait"]]

\* port_check_return_cond(t) at S.
CheckretF(t, S) ==
    LET rec == S.th[t]
        S1 == [S EXCEPT !.thrcnt = S.thrcnt - 1]
    IN IF At(S)!CheckRetPanics
       THEN [S1 EXCEPT !.panic = TRUE, !.th = [S.th EXCEPT ![t].pc = "panic"]]
       ELSE LET S2 == [S1 EXCEPT !.sig = At(S)!CheckRetSig, !.mutex = NoThread]
            IN IF rec.err = "ALERT" THEN ReturnF(t, S2, rec, "OK", 1, 1)
               ELSE ReturnF(t, S2, rec, rec.err, rec.nget, 0)

\* portnowait(t) at S (MoveToTemp when PORTQ_BLOCKED is free).
NowaitF(t, S) ==
    LET S1 == [S EXCEPT !.getn = S.getn + 1, !.mutex = NoThread]
    IN IF "BLOCKED" \in S.qflags
       THEN [S1 EXCEPT !.th = [S.th EXCEPT ![t].pc = "blockWait", ![t].cont = "getn"]]
       ELSE [S1 EXCEPT !.th = [S.th EXCEPT ![t] = At(S)!DeliverRec(S.th[t])],
                       !.temp = S.temp \o S.queue, !.queue = <<>>, !.nent = 0,
                       !.qflags = S.qflags \cup {"WAIT_EVENTS", "BLOCKED"},
                       !.blockHolder = t]

\* One link of t's chain at S: its next holder action, if it holds the mutex
\* and has not panicked.
Link(t, S) ==
    IF S.mutex # t THEN S
    ELSE CASE S.th[t].pc = "queue"    -> QueueF(t, S)
           [] S.th[t].pc = "dequeue"  -> DequeueF(t, S)
           [] S.th[t].pc = "checkret" -> CheckretF(t, S)
           [] S.th[t].pc = "nowait"   -> NowaitF(t, S)
           [] OTHER                   -> S

\* A step to the end of t's chain from S: at most three links (queue,
\* dequeue, then checkret or nowait); four are applied, and a chain still
\* holding the mutex after them (other than a panic) stops the model checker.
\* Each link's result is bound by \E, so that it is computed once: operator
\* arguments are passed by name, and TLC's evaluation of ENABLED (fairness)
\* would otherwise recompute the nested links at every use.
Chain(t, S) ==
    \E S1 \in {Link(t, S)} : \E S2 \in {Link(t, S1)} : \E S3 \in {Link(t, S2)} :
    \E R \in {Link(t, S3)} :
        /\ (R.mutex = t /\ R.th[t].pc # "panic")
              => Assert(FALSE, "FoldedEventPort: a critical section longer than four links")
        /\ Become(R)

-----------------------------------------------------------------------------
(* The steps that take the mutex, with their chains *)

\* port_getn's engine entry that takes the mutex (EngineEntry's OTHER case).
FoldedEntry(t, o, first) ==
    /\ mutex = NoThread /\ "CLOSE" \notin qflags /\ "ALERT" \notin qflags
    /\ \E S \in {[Here EXCEPT !.thrcnt = thrcnt + 1, !.mutex = t,
                              !.th = [th EXCEPT ![t] = EntryPass(t, o, EntryRec(t, o, first))]]} :
          Chain(t, S)

\* cv_waituntil_sig(t, r) and the chain it starts.
FoldedWait(t, r) ==
    /\ WaitGuard(t, r)
    /\ \E S \in {IF r = "signal"
                THEN LET wl == WaitLoop(t, th[t])
                     IN [Here EXCEPT !.th = [th EXCEPT ![t] = wl[1]], !.mutex = wl[2],
                                     !.sig = WokenSig(t, wl)]
                ELSE [Here EXCEPT !.sig = [sig EXCEPT ![t] = FALSE], !.mutex = t,
                                  !.th = [th EXCEPT ![t].pc = "dequeue",
                                          ![t].err = IF r = "intr" THEN "EINTR" ELSE "ETIME"]]} :
          Chain(t, S)

\* Next's steps that leave the mutex free, and the folded ones that take it.
FoldedNext ==
    \/ Next /\ mutex' = NoThread
    \/ \E t \in Threads :
        \/ th[t].pc = "idle" /\ \E o \in NextOps(t) : o.kind \in {"get", "getn"} /\ FoldedEntry(t, o, TRUE)
        \/ th[t].pc = "entry" /\ FoldedEntry(t, th[t].op, FALSE)
        \/ \E r \in {"signal", "timeout", "intr"} : FoldedWait(t, r)

\* Fairness on the folded steps: a thread's step is ThreadStep(t)'s when it
\* leaves the mutex free, else the folded step that begins where ThreadStep(t)
\* takes the mutex.
FoldedThreadStep(t) ==
    \/ ThreadStep(t) /\ mutex' = NoThread
    \/ th[t].pc = "entry" /\ FoldedEntry(t, th[t].op, FALSE)
    \/ FoldedWait(t, "signal")
    \/ th[t].stale /\ FoldedWait(t, "intr")

FoldedFairness ==
    /\ \A t \in Threads : WF_vars(FoldedThreadStep(t))
    /\ WF_vars(\E e \in Events : port_send_event(e))
    /\ WF_vars(\E e \in Events : port_pollwkup(e))
    /\ WF_vars(\E w \in Events \cup {0} : port_pollwkdone(w))

FoldedSpec == Init /\ [][FoldedNext]_vars /\ FoldedFairness

=============================================================================
