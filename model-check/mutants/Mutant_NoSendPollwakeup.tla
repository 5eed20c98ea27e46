------------------ MODULE Mutant_NoSendPollwakeup ------------------
(* Mutant: port_send_event leaves PORTQ_POLLIN alone for every source
   (port_subr.c port_send_event wakes the port's pollers for any source
   but PORT_SOURCE_FD): a poller waiting for POLLIN sleeps on with a
   USER event queued. *)
\* model: poll
\* expect: NoStrandedPollerInv
\* override: SendPolls <- MutSendPolls
EXTENDS MCEventPort

MutSendPolls(e) == FALSE
============================================================
