/**
 * Property tests by search: random multi-process programs of event-port calls, random or
 * enumerated schedules of their lock-level steps, every run checked, every failure shrunk to a
 * minimal program that replays as a conformance scenario.
 *
 * <ul>
 * <li>{@link eventports.explore.Program}, {@link eventports.explore.Programs}: programs as data and
 *     their QuickTheories generators.</li>
 * <li>{@link eventports.explore.Driver}: program + {@link eventports.explore.Schedule} → a run through
 *     {@code ScenarioRun.execute}, recorded as a FORMAT.md scenario ({@link eventports.explore.RunRecord}).</li>
 * <li>{@link eventports.explore.RunCheck}: the seam every check goes through (batches of runs);
 *     {@link eventports.explore.Checks} are the built-in ones, {@link eventports.explore.Property} what
 *     they check and how a violation counts per profile.</li>
 * <li>{@link eventports.explore.Explorer}: the random search; {@link eventports.explore.Systematic}:
 *     every schedule of small programs; {@link eventports.explore.Minimizer} and
 *     {@link eventports.explore.Failure}: the reduced, printable result.</li>
 * <li>{@link eventports.explore.RunDoctoring}: deliberately broken variants that prove the search finds bugs.</li>
 * </ul>
 */
package eventports.explore;
