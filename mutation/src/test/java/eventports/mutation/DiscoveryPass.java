package eventports.mutation;

import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.reflect.Method;

/*
 * pitest-junit5-plugin 1.2.3 finds a minion's test units by running its test classes
 * (JUnit5TestUnitFinder.findTestUnits calls Launcher.execute), so every minion PIT starts ran
 * the whole unmutated suite first, about 13 s, and PIT starts one after every mutant that timed
 * out (about 170 starts a whole run: a third of its time). The coverage minion's pass is its
 * coverage run, so only a mutation minion's pass is skipped. This interceptor, loaded only in
 * PIT's JVMs (their -Djunit.jupiter.extensions.autodetection.enabled=true; surefire leaves
 * autodetection off), skips the bodies of tests and of their set-up and tear-down while that
 * finder is on the stack: the units are still found (a skipped invocation is still reported as
 * a test) and test factories still run, so the corpus's dynamic tests are still found one a
 * scenario. What the discovery pass also did was warm the minion up: the first mutants of a
 * fresh minion now meet cold code, and its first TLC batch a cold server. The second is gone
 * with SharedTlc (PIT's JVMs share servers that outlive them); for the first, PIT's timeout
 * constant is raised in the pom.
 */

/** Skips test bodies during pitest-junit5-plugin's discovery pass (PIT's JVMs only). */
public final class DiscoveryPass implements InvocationInterceptor {
    private static final String FINDER = "org.pitest.junit5.JUnit5TestUnitFinder";
    /** The coverage minion's discovery pass is its coverage run ("executed as part of discovery"): left alone. */
    private static final String MUTATION_MINION = "org.pitest.mutationtest.execute.MutationTestMinion";

    /** Whether the calling thread is inside the plugin's discovery pass of a mutation minion. */
    static boolean discovering() {
        return StackWalker.getInstance().walk(s -> s.map(StackWalker.StackFrame::getClassName)
                .filter(c -> c.equals(FINDER) || c.equals(MUTATION_MINION)).distinct().count() == 2);
    }

    private static void proceedUnlessDiscovering(Invocation<Void> invocation) throws Throwable {
        if (discovering()) {
            invocation.skip();
        } else {
            invocation.proceed();
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
            ExtensionContext ec) throws Throwable {
        proceedUnlessDiscovering(invocation);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
            ExtensionContext ec) throws Throwable {
        proceedUnlessDiscovering(invocation);
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext ic, ExtensionContext ec)
            throws Throwable {
        proceedUnlessDiscovering(invocation);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
            ExtensionContext ec) throws Throwable {
        proceedUnlessDiscovering(invocation);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
            ExtensionContext ec) throws Throwable {
        proceedUnlessDiscovering(invocation);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
            ExtensionContext ec) throws Throwable {
        proceedUnlessDiscovering(invocation);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic,
            ExtensionContext ec) throws Throwable {
        proceedUnlessDiscovering(invocation);
    }
}
