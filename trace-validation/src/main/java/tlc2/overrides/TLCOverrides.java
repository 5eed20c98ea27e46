package tlc2.overrides;

import eventports.tracevalidation.TraceOverrides;

/**
 * TLC loads Java overrides through a class of exactly this name (tlc-notes.md): it names the
 * class whose {@code @TLAPlusOperator} methods replace TraceEventPort's loader operators.
 */
public final class TLCOverrides implements ITLCOverrides {
    @Override
    @SuppressWarnings("rawtypes")
    public Class[] get() {
        return new Class[] {TraceOverrides.class};
    }
}
