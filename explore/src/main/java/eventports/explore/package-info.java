/**
 * Property tests by search: random multi-process programs of event-port calls, random or
 * enumerated schedules of their lock-level steps, every run checked, every failure shrunk to a
 * minimal program that replays as a conformance scenario.
 *
 * <ul>
 * <li>{@link eventports.explore.Program}, {@link eventports.explore.Programs}: programs as data and
 *     their QuickTheories generators.</li>
 * <li>{@link eventports.explore.Driver}: program + {@link eventports.explore.Schedule} → a run through
 *     {@code ScenarioRun.execute}, recorded as a scenario ({@link eventports.explore.RunRecord}) written
 *     by the conformance module's {@code ScenarioWriter}; {@link eventports.explore.ChoicePoint}: the
 *     options of one choice; {@link eventports.explore.StateKey}: the systematic mode's states.</li>
 * <li>{@link eventports.explore.RunCheck}: the seam every check goes through (batches of runs);
 *     {@link eventports.explore.Checks} lists the built-in ones ({@code DriverCheck},
 *     {@code ResultCheck}, {@code EventCheck}, {@code LivenessCheck}), {@link eventports.explore.Property}
 *     what they check, the spec property each mirrors, and how a violation counts per profile.</li>
 * <li>{@link eventports.explore.Explorer}: the random search; {@link eventports.explore.Systematic}:
 *     every schedule of small programs; {@link eventports.explore.Minimizer} and
 *     {@link eventports.explore.Failure}: the reduced, printable result.</li>
 * <li>{@link eventports.explore.RunDoctoring}: runs doctored on purpose, to prove the search finds bugs
 *     (deliberate mistakes in the core are {@link eventports.kernel.CoreFault}s).</li>
 * </ul>
 */
package eventports.explore;
