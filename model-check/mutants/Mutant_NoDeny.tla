-------------------- MODULE Mutant_NoDeny --------------------
(* Mutant: the delivery callback port_noshare never denies
   (port.c:925-931): a process receives another process's NOSHARE event. *)
\* model: small
\* expect: NoshareInv
\* override: Deliverable <- MutDeliverable
EXTENDS MCEventPort

MutDeliverable(e, p) == TRUE
============================================================
