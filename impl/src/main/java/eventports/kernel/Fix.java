package eventports.kernel;

/**
 * The defects model checking found in port.c and their fixes; the CORRECTED profile applies
 * all of them. Each names its entry in model-check/FINDINGS.md.
 */
public enum Fix {
    /** P:1720: port_check_return_cond signals portq_thread->portget_cv with an empty ring. */
    CHECK_RETURN_COND_EMPTY_RING
}
