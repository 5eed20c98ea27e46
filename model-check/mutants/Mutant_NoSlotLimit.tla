-------------------- MODULE Mutant_NoSlotLimit --------------------
(* Mutant: port_alloc_event_local ignores port_max_events (S06):
   port_curr exceeds the process.max-port-events snapshot. *)
\* model: default
\* expect: SlotInv
\* override: SlotFull <- MutSlotFull
EXTENDS MCEventPort

MutSlotFull == FALSE
============================================================
