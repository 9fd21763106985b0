package io.fal4j.sample.diffusion;

import java.nio.file.Path;

/** The tiny model, unpacked once for the tests of this JVM. */
final class TinyModel {

    private static ModelDirectory dir;
    private static DiffusionPipeline pipeline;

    private TinyModel() {
    }

    static synchronized Path dir() throws Exception {
        if (dir == null) {
            dir = ModelDirectory.resolve();
        }
        return dir.path();
    }

    static synchronized DiffusionPipeline pipeline() throws Exception {
        if (pipeline == null) {
            pipeline = DiffusionPipeline.load(dir(), 1);
        }
        return pipeline;
    }
}
