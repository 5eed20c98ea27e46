-------------------- MODULE Mutant_NoDrain --------------------
(* Mutant: close(2) does not wait for the calls on its descriptor to drain
   (fio.c closeandsetf without its uf_closing_cv wait): port_close runs while a
   thread of the closing process is still inside port_getn on that descriptor,
   which the descriptor layer promises never happens. *)
\* model: layer
\* expect: DrainInv
\* override: Drained <- MutDrained
EXTENDS MCEventPort

MutDrained(p, d) == TRUE
============================================================
