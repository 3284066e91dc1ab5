package dev.tern.bench.jmh;

/**
 * Entry point for the micro-benchmarks: {@code java -cp ... dev.tern.bench.jmh.JmhMain FrameCodecBench}.
 * All arguments go to JMH unchanged (regex of benchmarks, {@code -f}, {@code -wi}, {@code -rf json}, ...).
 * The benchmark list is generated at compile time into META-INF/BenchmarkList by JMH's annotation processor.
 */
public final class JmhMain {
    private JmhMain() {}

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
