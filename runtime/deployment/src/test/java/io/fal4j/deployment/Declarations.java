package io.fal4j.deployment;

/** Checks that a build failed because the app is mis-declared, with every expected phrase in the message. */
final class Declarations {

    private Declarations() {
    }

    static void assertProblems(Throwable failure, String... phrases) {
        Throwable t = failure;
        while (t != null && !(t instanceof InvalidAppException)) {
            t = t.getCause();
        }
        if (t == null) {
            throw new AssertionError("the build failed for another reason", failure);
        }
        for (String phrase : phrases) {
            if (!t.getMessage().contains(phrase)) {
                throw new AssertionError("the build failure does not say \"" + phrase + "\":\n" + t.getMessage());
            }
        }
    }
}
