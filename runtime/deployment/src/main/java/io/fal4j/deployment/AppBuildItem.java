package io.fal4j.deployment;

import io.fal4j.api.ContainerImage;
import io.quarkus.builder.item.SimpleBuildItem;

/** The checked app and its image spec, for the build steps that register, generate and describe it. */
public final class AppBuildItem extends SimpleBuildItem {

    private final ScannedApp app;
    private final ContainerImage image;

    AppBuildItem(ScannedApp app, ContainerImage image) {
        this.app = app;
        this.image = image;
    }

    ScannedApp app() {
        return app;
    }

    ContainerImage image() {
        return image;
    }
}
