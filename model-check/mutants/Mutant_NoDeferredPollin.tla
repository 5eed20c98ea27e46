------------------ MODULE Mutant_NoDeferredPollin ------------------
(* Mutant: the retriever's exit forgets the deferred POLLIN wake-up
   (port.c:1511-1518): a poller that found the queue empty while the
   retriever held the events on its temp list is not woken when the
   retriever pushes an event back. *)
\* model: poll
\* expect: NoStrandedPollerInv
\* override: DeferredPollin <- MutDeferredPollin
EXTENDS MCEventPort

MutDeferredPollin(closing) == FALSE
============================================================
