package io.fal4j.docker;

import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** {@code --output text|json}: with JSON, the result alone goes to standard output and progress to standard error. */
final class OutputOptions {

    @Option(names = "--output", paramLabel = "FORMAT", description = "text (default) or json.")
    String output = "text";

    boolean json() {
        return "json".equals(output);
    }

    /** Where progress lines go, flushed one by one. */
    Consumer<String> progress(PrintWriter out, PrintWriter err) {
        PrintWriter log = json() ? err : out;
        return line -> {
            log.println(line);
            log.flush();
        };
    }
}
