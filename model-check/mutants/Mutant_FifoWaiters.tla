-------------------- MODULE Mutant_FifoWaiters --------------------
(* Mutant: port_queue_thread appends every waiter at the tail (FIFO)
   instead of ordering by nget (port.c:1817-1836). *)
\* model: small
\* expect: WaiterOrderInv
\* override: InsertPos <- MutInsertPos
EXTENDS MCEventPort

MutInsertPos(r, n) == Len(r) + 1
============================================================
