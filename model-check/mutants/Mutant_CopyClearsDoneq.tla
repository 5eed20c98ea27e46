------------------ MODULE Mutant_CopyClearsDoneq ------------------
(* Mutant: port_copy_event clears PORT_KEV_DONEQ of an FD event before
   its callback runs and writes the saved flags back on a denial
   (port.c:1594-1610, the seed), in the corrected profile otherwise:
   fix CopyDoneq left out.  The owner's re-association inside the window
   arms the association while the retriever holds stale flags. *)
\* model: window
\* expect: CopyFlagsInv
\* override: Fixed <- MutFixed
EXTENDS MCEventPort

MutFixed(f) == f # "CopyDoneq" /\ (Profile = "corrected" \/ f \in Fixes)
============================================================
