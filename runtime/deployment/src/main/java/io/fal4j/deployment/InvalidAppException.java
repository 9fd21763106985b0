package io.fal4j.deployment;

import java.util.List;

/** A mis-declared app: fails the build with every problem found, each naming the class and method. */
public final class InvalidAppException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidAppException(List<String> problems) {
        super(problems.size() == 1 ? "fal4j: " + problems.get(0)
                : "fal4j found " + problems.size() + " problems in the app:\n  - " + String.join("\n  - ", problems));
    }
}
