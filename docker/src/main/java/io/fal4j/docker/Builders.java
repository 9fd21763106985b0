package io.fal4j.docker;

/**
 * Picks the builder: {@code $FAL4J_BUILDER} ({@code buildah} or {@code docker}) when set, otherwise
 * Docker when an engine answers, otherwise buildah, which needs no daemon.
 */
final class Builders {

    private Builders() {
    }

    static Builder fromEnvironment() {
        String chosen = System.getenv().getOrDefault("FAL4J_BUILDER", "");
        if (chosen.equals("docker") || chosen.isEmpty() && DockerBuilder.available()) {
            return new DockerBuilder();
        }
        return BuildahBuilder.fromEnvironment();
    }
}
