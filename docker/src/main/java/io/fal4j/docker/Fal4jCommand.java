package io.fal4j.docker;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fal4j} command: one subcommand per verb. */
@Command(name = "fal4j", mixinStandardHelpOptions = true, version = "fal4j 0.1.0",
        description = "Builds, checks and ships the container image of a fal4j app.",
        subcommands = {ContextCommand.class, BuildCommand.class, PushCommand.class, RunCommand.class,
            DeployCommand.class, ManifestsCommand.class})
public final class Fal4jCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status. */
    public static int run(String... args) {
        return new CommandLine(new Fal4jCommand()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
