---------------------------- MODULE MCEventPort ----------------------------
(***************************************************************************)
(* Exhaustive models of EventPort.  Each MCEventPort*.cfg picks a thread  *)
(* set and substitutes the definitions below for ThreadProc, EvOwner,      *)
(* EvNoShare and Script.  The state space is finite by construction: each *)
(* thread runs a bounded script of calls (a set of alternatives at each    *)
(* position), events are 1..NumEvents and each is sent at most once.       *)
(***************************************************************************)
EXTENDS EventPort

CONSTANTS t1, t2, t3, p1, p2

-----------------------------------------------------------------------------
(* small: two processes, two threads, three events; seconds *)
\* t1 (p1) waits with port_get or port_getn(2,2), both with a timeout; t2
\* (p2) calls port_getn(1,1) with a timeout or raises an alert, then closes
\* (not the last close: p1 keeps the port).  Events 1 and 2 are NOSHARE
\* events of p1, event 3 one of p2, so each process sees events it may not
\* take (denials, push-back, the retry loop).  MaxEvents 2: EAGAIN.
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
(* default: three threads in two processes, three events; minutes *)
\* Everything at once: two waiters/retrievers of p1 with different counts
\* and timeouts, a thread of p2 that retrieves or alerts and then closes
\* (per-process close), shareable and non-shareable events of both.
DefaultThreadProc == (t1 :> p1) @@ (t2 :> p1) @@ (t3 :> p2)
DefaultEvOwner    == (1 :> p2) @@ (2 :> p1) @@ (3 :> p2)
DefaultEvNoShare  == (1 :> TRUE) @@ (2 :> TRUE) @@ (3 :> FALSE)
DefaultScript ==
    (t1 :> << {GetOp("pos"), GetnOp(2, 2, "pos")} >>) @@
    (t2 :> << {GetOp("null"), GetnOp(2, 1, "zero")} >>) @@
    (t3 :> << {GetnOp(1, 1, "pos"), AlertOp("SET", 1)}, {CloseOp} >>)

=============================================================================
