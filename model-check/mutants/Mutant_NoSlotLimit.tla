-------------------- MODULE Mutant_NoSlotLimit --------------------
(* Mutant: port_alloc_event_local ignores port_max_events (port_subr.c):
   port_curr exceeds the process.max-port-events snapshot. *)
\* model: default
\* expect: SlotInv
\* override: SlotFull <- MutSlotFull
EXTENDS MCEventPort

MutSlotFull == FALSE
============================================================
