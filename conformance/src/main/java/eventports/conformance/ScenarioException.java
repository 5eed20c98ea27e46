package eventports.conformance;

/** A scenario file that cannot be run as written: bad JSON, an unknown op, a missing field. */
public final class ScenarioException extends Exception {
    private static final long serialVersionUID = 1L;

    public ScenarioException(String message) {
        super(message);
    }
}
