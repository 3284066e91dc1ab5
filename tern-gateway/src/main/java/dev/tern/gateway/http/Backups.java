package dev.tern.gateway.http;

import dev.tern.core.node.Core;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.locks.ReentrantLock;

/** Online backups into timestamped directories; one at a time per node. */
public final class Backups {
    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'tern-backup-'yyyyMMdd'T'HHmmss'Z'");
    private static final ReentrantLock ONE_AT_A_TIME = new ReentrantLock();

    private Backups() {}

    /** Writes a backup under {@code dir} and returns its directory (absolute). Blocks. */
    public static Path take(Core core, Path dir) {
        ONE_AT_A_TIME.lock();
        try {
            Files.createDirectories(dir);
            String base = NAME.format(ZonedDateTime.now(ZoneOffset.UTC));
            Path target = dir.resolve(base).toAbsolutePath();
            for (int i = 1; Files.exists(target); i++) {
                target = dir.resolve(base + "-" + i).toAbsolutePath();
            }
            long t0 = System.nanoTime();
            core.backup(target);
            log.info("online backup written to {} in {} ms", target, (System.nanoTime() - t0) / 1_000_000);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create backup directory " + dir + ": " + e.getMessage(), e);
        } finally {
            ONE_AT_A_TIME.unlock();
        }
    }
}
