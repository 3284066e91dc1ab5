package dev.tern.bench;

import dev.tern.bench.scenario.CheckCommand;
import dev.tern.bench.scenario.Commands;
import dev.tern.bench.scenario.DirectCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tern bench <scenario> [options]}: see docs/benchmarks.md. */
@Command(name = "tern-bench", mixinStandardHelpOptions = true,
        description = "Load generator and ceilings for Tern; prints figures, writes JSON and PNG plots.",
        subcommands = {DirectCommand.class, Commands.Group.class, Commands.Sync.class, Commands.Sessions.class,
                Commands.Overload.class, Commands.Media.class, Commands.Fsync.class, CheckCommand.class})
public final class BenchMain implements Runnable {

    public static void main(String[] args) {
        int code = new CommandLine(new BenchMain()).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
