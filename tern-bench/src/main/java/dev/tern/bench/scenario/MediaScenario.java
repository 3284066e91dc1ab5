package dev.tern.bench.scenario;

import dev.tern.bench.load.Target;
import dev.tern.bench.report.ProcStats;
import dev.tern.bench.report.Results;
import dev.tern.client.ClientOptions;
import dev.tern.client.TernClient;
import dev.tern.client.TernMedia;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One file uploaded (tus, in the SDK's 8 MiB chunks) and downloaded again over loopback: MB/s each
 * way, the server's CPU, and that the bytes came back intact (sizes compared; the SDK's upload and
 * the server's hash check already tie the bytes to their SHA-256).
 */
public final class MediaScenario {
    public record Options(long bytes) {}

    private final Options o;

    public MediaScenario(Options o) {
        this.o = o;
    }

    public Results.Run run(Target target, Results results, int repetition, Path work) throws Exception {
        Results.Run run = results.add(new Results.Run("media", target.kind.label, repetition));
        Path file = work.resolve("upload-" + repetition + ".bin");
        Path back = work.resolve("download-" + repetition + ".bin");
        write(file, o.bytes());
        try (TernClient c = TernClient.connect(ClientOptions.of(target.uri()), new dev.tern.client.TernListener() { })
                .get(30, TimeUnit.SECONDS)) {
            String name = "media_" + repetition;
            c.register(name, "password-" + name).get(30, TimeUnit.SECONDS);
            c.login(name, "password-" + name, "bench").get(30, TimeUnit.SECONDS);
            TernMedia media = c.media();
            ProcStats.Meter up = new ProcStats.Meter(target.pid());
            long start = System.nanoTime();
            long[] last = {start, 0};
            String id = media.upload(file, "application/octet-stream", done -> {
                long now = System.nanoTime();
                if (done > last[1] && now > last[0]) {
                    run.timeline.add(new double[]{(now - start) / 1e9, (done - last[1]) / 1e6 / ((now - last[0]) / 1e9)});
                }
                last[0] = now;
                last[1] = done;
            });
            double upSeconds = (System.nanoTime() - start) / 1e9;
            double upCpu = up.cores();
            ProcStats.Meter down = new ProcStats.Meter(target.pid());
            long t0 = System.nanoTime();
            media.download(id, false, back);
            double downSeconds = (System.nanoTime() - t0) / 1e9;
            if (Files.size(back) != o.bytes()) {
                throw new IllegalStateException("downloaded " + Files.size(back) + " of " + o.bytes() + " bytes");
            }
            run.put("bytes", o.bytes()).put("upload_mb_per_s", o.bytes() / 1e6 / upSeconds)
                    .put("upload_s", upSeconds).put("upload_server_cpu_cores", upCpu)
                    .put("download_mb_per_s", o.bytes() / 1e6 / downSeconds).put("download_s", downSeconds)
                    .put("download_server_cpu_cores", down.cores()).put("server_max_gc_pause_ms", target.maxGcPauseMillis());
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(back);
        }
        return run;
    }

    private static void write(Path file, long bytes) throws Exception {
        byte[] buf = new byte[1 << 20];
        Random r = new Random(7);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
    }
}
