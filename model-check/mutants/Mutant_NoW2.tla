-------------------- MODULE Mutant_NoW2 --------------------
(* Mutant: the retriever exit forgets wake rule W2 (port.c:1501-1509): a
   waiter that could not be woken while a retrieval was in progress (W1
   defers) is never woken. *)
\* model: smallnull
\* expect: NoHangInv
\* override: W2Wake <- MutW2Wake
EXTENDS MCEventPort

MutW2Wake(g1, n1) == FALSE
============================================================
