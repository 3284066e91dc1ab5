package dev.tern.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Proxy;

/**
 * SIGTERM and SIGINT stop the node and end the process with exit code 0 after a clean stop (1 if the
 * stop failed). Left to the JVM, a signal runs the shutdown hooks and then exits with 128 + the
 * signal's number (143 for SIGTERM), which service managers and orchestrators report as a failure
 * even when every client was answered and the store closed cleanly.
 *
 * <p>The handler is {@code sun.misc.Signal} (module jdk.unsupported, exported for exactly this),
 * reached through reflection so that the build stays free of proprietary-API warnings. Where it is
 * missing the JVM's default applies: the shutdown hook stops the node, and the exit code is 143.
 */
final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {}

    /** Handles TERM and INT by running {@code stop} and exiting; returns false if not possible here. */
    static boolean install(Runnable stop) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            stopAndExit(stop, String.valueOf(args[0]));
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "tern stop-signal handler";
                    });
            for (String name : new String[] {"TERM", "INT"}) {
                Object sig = signal.getConstructor(String.class).newInstance(name);
                signal.getMethod("handle", signal, handlerType).invoke(null, sig, handler);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("cannot handle SIGTERM/SIGINT ({}); a stop by signal will exit with 128 + its number", e.toString());
            return false;
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean STOPPING = new java.util.concurrent.atomic.AtomicBoolean();

    private static void stopAndExit(Runnable stop, String signal) {
        // Only the first signal stops and exits: a second one during a stop that fails must not
        // find the server closed and exit 0 ahead of the first one's exit 1 (SIGKILL forces).
        if (!STOPPING.compareAndSet(false, true)) {
            log.info("{}: already stopping", signal);
            return;
        }
        log.info("{}: stopping", signal);
        int status = 0;
        try {
            stop.run();
        } catch (Throwable t) {
            log.error("the stop failed", t);
            status = 1;
        }
        System.exit(status);
    }
}
