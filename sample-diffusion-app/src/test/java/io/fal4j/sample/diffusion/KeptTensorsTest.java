package io.fal4j.sample.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the pipeline keeps from request to request (the tensors over each worker's staged inputs, one
 * per shape; the timestep inputs) gives every request what a pipeline that kept nothing gives it,
 * whatever ran before and however many shapes came and went.
 */
class KeptTensorsTest {

    private static final DiffusionPipeline.Request FIRST = new DiffusionPipeline.Request("a fox in the snow",
            "blurry", 64, 64, 3, 7.5, 11, 1, Scheduler.Kind.PNDM);

    /** More shapes and types than a worker keeps tensors for: sizes, batches, guidance on and off. */
    private static List<DiffusionPipeline.Request> manyShapes() {
        List<DiffusionPipeline.Request> requests = new ArrayList<>();
        int seed = 0;
        for (int side : new int[] {64, 96, 128}) {
            for (int images = 1; images <= 2; images++) {
                requests.add(new DiffusionPipeline.Request("a red barn", "", side, side, 2, 7.5, seed++, images,
                        Scheduler.Kind.DDIM));
                requests.add(new DiffusionPipeline.Request("a red barn", "", side, 64, 2, 1.0, seed++, images,
                        Scheduler.Kind.EULER));
            }
        }
        return requests;
    }

    private static List<int[]> pixels(DiffusionPipeline pipeline, DiffusionPipeline.Request request)
            throws Exception {
        List<int[]> pixels = new ArrayList<>();
        for (BufferedImage image : pipeline.generate(request, new SchedulerGoldenTest.Steps(Integer.MAX_VALUE), null)
                .images()) {
            pixels.add(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()));
        }
        return pixels;
    }

    @Test
    void requestsAfterManyShapesGetWhatAFreshPipelineGives() throws Exception {
        List<DiffusionPipeline.Request> shapes = manyShapes();
        List<int[]> first;
        List<List<int[]>> fresh = new ArrayList<>();
        try (DiffusionPipeline pipeline = DiffusionPipeline.load(TinyModel.dir(), 1)) {
            first = pixels(pipeline, FIRST);
        }
        for (DiffusionPipeline.Request request : shapes) {
            try (DiffusionPipeline pipeline = DiffusionPipeline.load(TinyModel.dir(), 1)) {
                fresh.add(pixels(pipeline, request));
            }
        }

        try (DiffusionPipeline pipeline = DiffusionPipeline.load(TinyModel.dir(), 1)) {
            assertImagesEqual(first, pixels(pipeline, FIRST), "first request");
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < shapes.size(); i++) {
                    assertImagesEqual(fresh.get(i), pixels(pipeline, shapes.get(i)), "round " + round + ", " + shapes.get(i));
                }
            }
            assertImagesEqual(first, pixels(pipeline, FIRST), "first request again");
            assertEquals(0, pipeline.leftoverArrays(), "arrays outlived their request");
        }
    }

    private static void assertImagesEqual(List<int[]> expected, List<int[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": images");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), what + ": image " + i);
        }
    }
}
