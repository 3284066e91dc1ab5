package dev.tern.gateway;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Netty's leak detector at PARANOID level (every buffer tracked), with its reports collected here
 * instead of only logged, so a fuzz target can fail on them. It sees leaks the
 * {@link TrackingAllocator} cannot (buffers from other allocators), but only after a garbage
 * collection, so a report may surface on a later input than the one that leaked.
 */
final class LeakReports {
    private static final Queue<String> REPORTS = new ConcurrentLinkedQueue<>();

    static {
        // Must run before the first ByteBuf class initialises: the detector is created once per class.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Factory());
    }

    private LeakReports() {}

    /** Installs the recording detector (idempotent); call before the first buffer is allocated. */
    static void install() {
        // The static initialiser did the work.
    }

    static List<String> reports() {
        return List.copyOf(REPORTS);
    }

    private static final class Factory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new Recording<>(resource, samplingInterval);
        }
    }

    private static final class Recording<T> extends ResourceLeakDetector<T> {
        Recording(Class<?> resourceType, int samplingInterval) {
            super(resourceType, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            REPORTS.add(resourceType + " leaked:" + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            REPORTS.add(resourceType + " leaked (no records)");
        }
    }
}
