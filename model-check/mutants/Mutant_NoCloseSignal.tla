-------------------- MODULE Mutant_NoCloseSignal --------------------
(* Mutant: nobody signals portq_closecv (port.c:1494, 1718, port_subr.c
   port_send_event): the last close waits forever. *)
\* model: close
\* expect: NoHangInv
\* override: SignalClose <- MutSignalClose
EXTENDS MCEventPort

MutSignalClose(s) == s
============================================================
