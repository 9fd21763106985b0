package io.fal4j.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;

/** How the commands print machine-readable results. */
final class CommandOutput {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CommandOutput() {
    }

    /** Prints a value as indented JSON. */
    static void json(PrintWriter out, Object value) throws IOException {
        out.println(JSON.writeValueAsString(value));
    }
}
