-------------------- MODULE Mutant_LostPushBack --------------------
(* Mutant: port_push_eventq drops the leftover temp list instead of
   moving it back (port.c:1483-1489): denied and uncollected events
   vanish. *)
\* model: small
\* expect: QueueCountInv
\* override: PushEventq <- MutPushEventq
EXTENDS MCEventPort

MutPushEventq(q, tmp) == q
============================================================
