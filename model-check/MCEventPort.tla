---------------------------- MODULE MCEventPort ----------------------------
(***************************************************************************)
(* Exhaustive models of EventPort.  Each MCEventPort*.cfg picks a thread  *)
(* set and substitutes the definitions below for ThreadProc, EvOwner,      *)
(* EvNoShare and Script.  The state space is finite by construction: each *)
(* thread runs a bounded script of calls (a set of alternatives at each    *)
(* position), events are 1..NumEvents and each is sent at most once.       *)
(***************************************************************************)
EXTENDS FoldedEventPort

CONSTANTS t1, t2, t3, t4, p1, p2

-----------------------------------------------------------------------------
(* small: two processes, two threads, three events; seconds *)
\* t1 (p1) waits with port_get or port_getn(2,2), both with a timeout; t2
\* (p2) calls port_getn(1,1) with a timeout or raises an alert, then closes
\* (not the last close: p1 keeps the port).  Events 1 and 2 are NOSHARE
\* events of p1, event 3 one of p2, so each process sees events it may not
\* take (denials, push-back, the retry loop). 
SmallThreadProc == (t1 :> p1) @@ (t2 :> p2)
SmallEvOwner    == (1 :> p1) @@ (2 :> p1) @@ (3 :> p2)
SmallEvNoShare  == (1 :> TRUE) @@ (2 :> TRUE) @@ (3 :> TRUE)
SmallScript ==
    (t1 :> << {GetOp("pos"), GetnOp(2, 2, "pos")} >>) @@
    (t2 :> << {GetnOp(1, 1, "pos"), AlertOp("SET", 1)}, {CloseOp} >>)

-----------------------------------------------------------------------------
(* close: one process, three threads, one event; seconds *)
\* The last close racing with a waiter (t1), a retriever (t2: a poll with a
\* zero timeout, or a blocking port_getn) and an alert (t3 raises or clears
\* it, then closes the port: the last close, as p1 is the only process).
CloseThreadProc == (t1 :> p1) @@ (t2 :> p1) @@ (t3 :> p1)
CloseEvOwner    == (1 :> p1)
CloseEvNoShare  == (1 :> FALSE)
CloseScript ==
    (t1 :> << {GetOp("null")} >>) @@
    (t2 :> << {GetOp("zero"), GetnOp(1, 1, "null")} >>) @@
    (t3 :> << {AlertOp("SET", 1), UnalertOp}, {CloseOp} >>)

-----------------------------------------------------------------------------
(* ring: three threads, two processes, one event; seconds *)
\* Head-only wake-ups and the retry loop: t1 and t2 (p1) cannot take the
\* NOSHARE event of p2; t2 polls (zero timeout) and pushes it back; t3 (p2)
\* waits for it behind t1, a retrying waiter of p1.
RingThreadProc == (t1 :> p1) @@ (t2 :> p1) @@ (t3 :> p2)
RingEvOwner    == (1 :> p2)
RingEvNoShare  == (1 :> TRUE)
RingScript ==
    (t1 :> << {GetOp("pos")} >>) @@
    (t2 :> << {GetOp("zero")} >>) @@
    (t3 :> << {GetnOp(1, 1, "pos")} >>)

-----------------------------------------------------------------------------
(* default: three threads in two processes, three events; minutes *)
\* Everything at once: two threads of p1 wait or poll with different counts
\* and timeouts, and one of them then closes; a thread of p2 retrieves or
\* alerts and then closes.  Whichever process closes second does the last
\* close.  Events: a NOSHARE event of p2, a NOSHARE event of p1, a USER
\* event of p2; port_max_events 2, so the third allocation can get EAGAIN.
DefaultThreadProc == (t1 :> p1) @@ (t2 :> p1) @@ (t3 :> p2)
DefaultEvOwner    == (1 :> p2) @@ (2 :> p1) @@ (3 :> p2)
DefaultEvNoShare  == (1 :> TRUE) @@ (2 :> TRUE) @@ (3 :> FALSE)
DefaultScript ==
    (t1 :> << {GetOp("pos"), GetnOp(2, 2, "pos")} >>) @@
    (t2 :> << {GetOp("null"), GetnOp(2, 1, "zero")}, {CloseOp} >>) @@
    (t3 :> << {GetnOp(1, 1, "pos"), AlertOp("SET", 1)}, {CloseOp} >>)
-----------------------------------------------------------------------------
(* large: four threads in two processes, three events; hours *)
\* The default mix with one more thread.  t1 and t2 are interchangeable
\* (same process, same script): MCEventPort_large.cfg checks invariants
\* under LargeSymmetry (TLC's symmetry reduction is unsound for liveness).
LargeThreadProc == (t1 :> p1) @@ (t2 :> p1) @@ (t3 :> p1) @@ (t4 :> p2)
LargeEvOwner    == (1 :> p2) @@ (2 :> p1) @@ (3 :> p1)
LargeEvNoShare  == (1 :> TRUE) @@ (2 :> TRUE) @@ (3 :> FALSE)
LargeScript ==
    (t1 :> << {GetOp("null"), GetnOp(2, 2, "pos")} >>) @@
    (t2 :> << {GetOp("null"), GetnOp(2, 2, "pos")} >>) @@
    (t3 :> << {GetOp("zero"), AlertOp("SET", 1)}, {CloseOp} >>) @@
    (t4 :> << {GetnOp(1, 1, "pos")}, {CloseOp} >>)
\* Sound: the spec refers to a thread only through ThreadProc and Script,
\* equal for t1 and t2, and never picks one thread out of a set by CHOOSE.
LargeSymmetry == Permutations({t1, t2})

-----------------------------------------------------------------------------
(* fd: an FD association next to a USER event; seconds *)
\* Event 1 is the CACHED slot of FD object "f1" (owned by p1): associated,
\* fired, delivered, re-associated, dissociated or closed; event 2 is a USER
\* event of p2.  t1 (p1) waits with a timeout; t2 (p2) polls, then closes.
\* ScanGen counts sends and an FD slot fires again after each re-association,
\* so the search is bounded by FdBound (a CONSTRAINT).
FdThreadProc == (t1 :> p1) @@ (t2 :> p2)
FdEvOwner    == (1 :> p1) @@ (2 :> p2)
FdEvNoShare  == (1 :> FALSE) @@ (2 :> FALSE)
FdScript ==
    (t1 :> << {GetOp("pos")} >>) @@
    (t2 :> << {GetOp("zero")}, {CloseOp} >>)
FdFds == {"f1"}
FdFdOf(e) == IF e = 1 THEN "f1" ELSE ""
FdBound == gen <= 3

-----------------------------------------------------------------------------
(* poll: the port's own descriptor polled; seconds *)
\* Someone polls the port for POLLIN and/or POLLOUT at any time (port_poll):
\* another port's FD association of it, or poll(2).  Event 1 is the CACHED
\* slot of FD object "f1", fired by a pollwakeup (port_pollwkup follows) or
\* by port_associate_fd's own VOP_POLL; event 2 a USER event (port_send_event
\* wakes POLLIN pollers itself); MaxEvents 2, so the port can be full (POLLOUT
\* waits for a freed slot).  t1 retrieves with a timeout (the deferred
\* POLLIN wake-up at its end), then does the last close (port_close_events
\* waits for PORTQ_POLLWK_PEND).  Bounded like fd.
PollThreadProc == (t1 :> p1)
PollEvOwner    == (1 :> p1) @@ (2 :> p1)
PollEvNoShare  == (1 :> FALSE) @@ (2 :> FALSE)
PollScript == (t1 :> << {GetOp("pos")}, {CloseOp} >>)
PollFds == {"f1"}
PollFdOf(e) == IF e = 1 THEN "f1" ELSE ""
PollPolled == TRUE
PollBound == gen <= 3

-----------------------------------------------------------------------------
(* layer: the descriptor layer (FdLayer = TRUE); seconds *)
\* p1 holds the port through two descriptors, 0 and 1 (a dup).  t1 waits on
\* descriptor 1, or with a timeout on 0; t2 polls or waits on 0; t3 raises or
\* clears an alert, closes descriptor 0 (a per-process close, as the dup still
\* holds the port: t1 and t2 are evicted if they use 0, and p1's alert is
\* cleared) and then descriptor 1 (the last close, after evicting t1 if it
\* waits there).  Stock illumos's answer to the close model's races.
LayerThreadProc == (t1 :> p1) @@ (t2 :> p1) @@ (t3 :> p1)
LayerEvOwner    == (1 :> p1)
LayerEvNoShare  == (1 :> FALSE)
LayerScript ==
    (t1 :> << {OnFd(GetOp("null"), 1), GetOp("pos")} >>) @@
    (t2 :> << {GetOp("zero"), GetnOp(1, 1, "null")} >>) @@
    (t3 :> << {AlertOp("SET", 1), UnalertOp}, {CloseOp}, {OnFd(CloseOp, 1)} >>)
LayerRefs == {<<p1, 0>>, <<p1, 1>>}

-----------------------------------------------------------------------------
(* alert: an alert set and cleared around waiters, no close (FdLayer = TRUE); seconds *)
\* t3 sets an alert and then clears it; t1 waits for one event (and may be
\* alerted), t2 for two; two USER events.  Whether F3's early alert return
\* (port.c:1297-1307) can strand a waiter without any close.
AlertThreadProc == (t1 :> p1) @@ (t2 :> p1) @@ (t3 :> p1)
AlertEvOwner    == (1 :> p1) @@ (2 :> p1)
AlertEvNoShare  == (1 :> FALSE) @@ (2 :> FALSE)
AlertScript ==
    (t1 :> << {GetOp("null")} >>) @@
    (t2 :> << {GetnOp(2, 2, "null")} >>) @@
    (t3 :> << {AlertOp("SET", 1)}, {UnalertOp} >>)

-----------------------------------------------------------------------------
(* share: two processes share the port and both close it, next to an FD  *)
(* association and a timer; seconds                                       *)
\* p1 owns FD association "f1" (event 1) and a USER event (3); p2 owns timer
\* "tm" (event 2, SIGEV_PORT).  t1 (p1) waits with a timeout, then closes;
\* t2 (p2) closes.  Whichever closes first makes a per-process close
\* (port_close_sourcefd removes its own association or timer, then
\* port_discard_events); the other makes the last close, which removes what
\* is left and discards the queue.  Bounded like fd.
ShareThreadProc == (t1 :> p1) @@ (t2 :> p2)
ShareEvOwner    == (1 :> p1) @@ (2 :> p2) @@ (3 :> p1)
\* The timer's event counts as NOSHARE: timer_port_callback denies it to other
\* processes (CopyChoices), and Deliverable, which the hang properties count
\* with, knows denials only through EvNoShare.  (With FALSE, NoHangInv reports
\* t1 of p1 asleep beside p2's queued timer event, which p1 can never take.)
ShareEvNoShare  == (1 :> FALSE) @@ (2 :> TRUE) @@ (3 :> FALSE)
ShareScript ==
    (t1 :> << {GetOp("pos")}, {CloseOp} >>) @@
    (t2 :> << {CloseOp} >>)
ShareFds == {"f1", "tm"}
ShareFdOf(e) == CASE e = 1 -> "f1" [] e = 2 -> "tm" [] OTHER -> ""
ShareTimers == {"tm"}
ShareBound == gen <= 3

-----------------------------------------------------------------------------
(* ranks: three waiters with three different counts; minutes *)
\* Waiter priority with three ranks (port.c:1792-1839): t1, t2 and t3 (one
\* process) ask for 1, 2 and 3 events, two with a timeout; three USER
\* events.  W1/W2 wake only the head waiter, so the order the ring keeps and
\* the wake-ups passed along it decide who is served.
RanksThreadProc == (t1 :> p1) @@ (t2 :> p1) @@ (t3 :> p1)
RanksEvOwner    == (1 :> p1) @@ (2 :> p1) @@ (3 :> p1)
RanksEvNoShare  == (1 :> FALSE) @@ (2 :> FALSE) @@ (3 :> FALSE)
RanksScript ==
    (t1 :> << {GetnOp(1, 1, "pos")} >>) @@
    (t2 :> << {GetnOp(2, 2, "pos")} >>) @@
    (t3 :> << {GetnOp(3, 3, "null")} >>)

-----------------------------------------------------------------------------
(* window: an FD event denied to another process while its owner         *)
(* re-associates (port_copy_event's window, CopyWindow); seconds          *)
\* Event 1 is the CACHED slot of FD object "f1", owned by p1, which has no
\* thread: its association calls (associate, fire, dissociate, close) are
\* environment steps.  t1 of p2 retrieves with a zero timeout; p2 has not
\* got f1 under that descriptor, so port_fd_callback may deny it the event.
\* With CopyWindow the denial takes two steps with no lock held between
\* them (port.c:1588-1611), and the owner's calls interleave.  Bounded like fd.
WindowThreadProc == (t1 :> p2)
WindowEvOwner    == (1 :> p1)
WindowEvNoShare  == (1 :> FALSE)
WindowScript == (t1 :> << {GetOp("zero")} >>)
WindowFds == {"f1"}
WindowFdOf(e) == IF e = 1 THEN "f1" ELSE ""
WindowCopyWindow == TRUE
WindowBound == gen <= 3

-----------------------------------------------------------------------------
(* smallnull, ringnull: small and ring with NULL timeouts where they have   *)
(* positive ones, so that a waiter the seed strands sleeps for good        *)
(* (NoHangInv) instead of until a deadline (NoStallInv): the printed        *)
(* counterexamples of F4, F9 (smallnull) and F11 (ringnull).               *)
NullTimeouts(s) ==
    [t \in DOMAIN s |-> [j \in DOMAIN s[t] |->
        {IF o.to = "pos" THEN [o EXCEPT !.to = "null"] ELSE o : o \in s[t][j]}]]
SmallNullThreadProc == SmallThreadProc
SmallNullEvOwner == SmallEvOwner
SmallNullEvNoShare == SmallEvNoShare
SmallNullScript == NullTimeouts(SmallScript)
RingNullThreadProc == RingThreadProc
RingNullEvOwner == RingEvOwner
RingNullEvNoShare == RingEvNoShare
RingNullScript == NullTimeouts(RingScript)

-----------------------------------------------------------------------------
(* Without the event-order reduction (spec/README.md, "Event order"):    *)
(* AllocInOrder <- AnyOrder and SendInOrder <- AnyOrder let the sources   *)
(* allocate and send their events in any order (EventOrderReductionTest). *)
AnyOrder(e) == TRUE
\* condvar.c's liberties (EventPort's SpuriousWakeups, CvSignalPassedOn) turned on
\* by a cfg override, e.g. SpuriousWakeups <- On (CondvarLibertiesTest).
On == TRUE

=============================================================================
