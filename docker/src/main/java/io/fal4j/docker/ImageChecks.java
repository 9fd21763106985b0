package io.fal4j.docker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What must hold before an image ships, each finding naming its Dockerfile line: every base image
 * pinned by tag or digest (not {@code latest}); {@code curl} and a Java 17+ runtime in the final
 * image (the health check and the runner need them); and, as warnings, {@code pip install} and
 * {@code apt-get install} of unpinned versions.
 */
public final class ImageChecks {

    /**
     * One finding.
     *
     * @param line the Dockerfile line
     * @param error whether it stops the build (otherwise a warning)
     * @param message what is wrong and what to do
     */
    public record Finding(int line, boolean error, String message) {

        @Override
        public String toString() {
            return (error ? "error" : "warning") + ": Dockerfile line " + line + ": " + message;
        }
    }

    private static final Pattern PIP = Pattern.compile("\\bpip3?\\s+install\\b(.*?)(?:&&|\\|\\||;|\\||$)");
    private static final Pattern APT = Pattern.compile("\\bapt(?:-get)?\\s+install\\b(.*?)(?:&&|\\|\\||;|\\||$)");
    private static final Pattern JAVA_VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");
    private static final Set<String> PIP_OPTIONS_WITH_VALUE = Set.of("-r", "--requirement", "-c", "--constraint",
            "-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target");

    private ImageChecks() {
    }

    /** The checks that read the Dockerfile alone. */
    public static List<Finding> ofDockerfile(Dockerfile dockerfile, Map<String, String> buildArgs) {
        List<Finding> findings = new ArrayList<>();
        Map<String, String> globals = dockerfile.globalArgs(buildArgs);
        Set<String> stages = new HashSet<>();
        for (Dockerfile.Instruction instruction : dockerfile.instructions()) {
            switch (instruction.keyword()) {
                case "FROM" -> {
                    List<String> words = instruction.arguments();
                    String image = Dockerfile.substitute(words.get(0), globals);
                    checkPinned(instruction.line(), image, stages, findings);
                    if (words.size() >= 3 && words.get(1).equalsIgnoreCase("as")) {
                        stages.add(words.get(2).toLowerCase(Locale.ROOT));
                    }
                }
                case "RUN" -> {
                    String command = instruction.json() ? String.join(" ", instruction.arguments()) : instruction.raw();
                    checkPip(instruction.line(), command, findings);
                    checkApt(instruction.line(), command, findings);
                }
                default -> {
                }
            }
        }
        return findings;
    }

    /** The checks that run in the built image; {@code fromLine} is the final stage's FROM. */
    public static List<Finding> ofImage(Builder builder, String image, int fromLine) throws IOException {
        List<Finding> findings = new ArrayList<>();
        if (builder.run(image, List.of("sh", "-c", "command -v curl")).status() != 0) {
            findings.add(new Finding(fromLine, true, "curl is missing from the image; the health check and "
                    + "`fal4j run` need it: install it (apt-get install -y curl)"));
        }
        Builder.Execution java = builder.run(image, List.of("sh", "-c", "java -version 2>&1"));
        Matcher version = JAVA_VERSION.matcher(java.output());
        int major = !version.find() ? 0 : version.group(1).equals("1") && version.group(2) != null
                ? Integer.parseInt(version.group(2)) : Integer.parseInt(version.group(1));
        if (java.status() != 0 || major < 17) {
            findings.add(new Finding(fromLine, true, (major == 0 ? "no Java runtime on the PATH"
                    : "Java " + major + " is too old") + "; the runner needs Java 17 or later "
                    + "(apt-get install -y openjdk-17-jre-headless)"));
        }
        return findings;
    }

    private static void checkPinned(int line, String image, Set<String> stages, List<Finding> findings) {
        if (image.equals("scratch") || stages.contains(image.toLowerCase(Locale.ROOT))) {
            return;
        }
        if (image.contains("@sha256:")) {
            return;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        String tag = colon > slash ? image.substring(colon + 1) : "";
        if (tag.isEmpty() || tag.equals("latest")) {
            findings.add(new Finding(line, true, "the base image '" + image + "' is not pinned"
                    + (tag.isEmpty() ? " (no tag means latest)" : "") + ": name a version tag or a digest"));
        }
    }

    private static void checkPip(int line, String command, List<Finding> findings) {
        Matcher pip = PIP.matcher(command);
        while (pip.find()) {
            String[] words = pip.group(1).trim().split("\\s+");
            for (int i = 0; i < words.length; i++) {
                String word = words[i].replace("\"", "").replace("'", "");
                if (word.isEmpty()) {
                    continue;
                }
                if (word.startsWith("-")) {
                    if (PIP_OPTIONS_WITH_VALUE.contains(word)) {
                        i++;
                    }
                    continue;
                }
                boolean pinned = word.contains("==") || word.contains("@") || word.contains("/")
                        || word.startsWith(".") || word.endsWith(".whl") || word.endsWith(".tar.gz");
                if (!pinned) {
                    findings.add(new Finding(line, false, "pip installs '" + word + "' without a version: pin it ("
                            + word.replaceAll("[<>=~!].*", "") + "==X.Y.Z) for a reproducible image"));
                }
            }
        }
    }

    private static void checkApt(int line, String command, List<Finding> findings) {
        Matcher apt = APT.matcher(command);
        while (apt.find()) {
            for (String word : apt.group(1).trim().split("\\s+")) {
                if (!word.isEmpty() && !word.startsWith("-") && !word.contains("=") && !word.startsWith("$")) {
                    findings.add(new Finding(line, false, "apt-get installs '" + word + "' without a version: pin it ("
                            + word + "=<version>) for a reproducible image"));
                }
            }
        }
    }
}
