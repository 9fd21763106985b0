package io.fal4j.sample.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fal4j.api.AppException;
import io.fal4j.api.RequestContext;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each scheduler, with and without guidance, against the latents the Python reference produced step
 * by step over the same TorchScript files and seed; and the final images' statistics.
 */
class SchedulerGoldenTest {

    private static final double LATENT_TOLERANCE = 2e-5;

    /** A context that records progress and can cancel after a number of steps. */
    static final class Steps implements RequestContext {
        final List<String> progress = new ArrayList<>();
        final int cancelAfter;

        Steps(int cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override
        public String requestId() {
            return "test";
        }

        @Override
        public Instant deadline() {
            return Instant.MAX;
        }

        @Override
        public boolean cancelled() {
            return progress.size() >= cancelAfter;
        }

        @Override
        public void progress(int step, int total) {
            progress.add(step + "/" + total);
        }

        @Override
        public void log(Level level, String message) {
        }
    }

    @Test
    void everySchedulerReproducesThePythonLatentsStepByStep() throws Exception {
        List<Golden.Case> cases = Golden.cases();
        assertEquals(6, cases.size());
        for (Golden.Case golden : cases) {
            List<float[]> trace = new ArrayList<>();
            Steps steps = new Steps(Integer.MAX_VALUE);
            DiffusionPipeline.Result result = TinyModel.pipeline().generate(golden.request(), steps, trace);
            String name = golden.scheduler() + " guidance " + golden.guidanceScale();
            assertEquals(golden.latents().size(), trace.size(), name + ": steps");
            assertEquals(golden.latents().size(), steps.progress.size(), name + ": progress reports");
            for (int step = 0; step < trace.size(); step++) {
                float[] expected = golden.latents().get(step);
                float[] actual = trace.get(step);
                assertEquals(expected.length, actual.length);
                double worst = 0;
                for (int i = 0; i < expected.length; i++) {
                    worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
                }
                assertTrue(worst < LATENT_TOLERANCE, name + " step " + step + ": latents differ by " + worst);
            }
            assertPixels(golden, result.images(), name);
        }
    }

    private static void assertPixels(Golden.Case golden, List<BufferedImage> images, String name) {
        assertEquals(golden.numImages(), images.size());
        double sum = 0;
        int min = 255;
        int max = 0;
        long count = 0;
        for (BufferedImage image : images) {
            assertEquals(golden.width(), image.getWidth());
            assertEquals(golden.height(), image.getHeight());
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int rgb = image.getRGB(x, y);
                    for (int shift = 16; shift >= 0; shift -= 8) {
                        int value = rgb >> shift & 0xff;
                        sum += value;
                        min = Math.min(min, value);
                        max = Math.max(max, value);
                        count++;
                    }
                }
            }
        }
        assertEquals(golden.pixels().mean(), sum / count, 0.01, name + ": mean pixel");
        assertEquals(golden.pixels().min(), min, 1, name + ": darkest");
        assertEquals(golden.pixels().max(), max, 1, name + ": brightest");
    }

    @Test
    void theSameSeedGivesTheSameImagesAndAnotherSeedOthers() throws Exception {
        DiffusionPipeline.Request request = new DiffusionPipeline.Request("a fox", "", 64, 64, 3, 7.5, 99, 1,
                Scheduler.Kind.EULER);
        BufferedImage first = TinyModel.pipeline().generate(request, new Steps(99), null).images().get(0);
        BufferedImage again = TinyModel.pipeline().generate(request, new Steps(99), null).images().get(0);
        BufferedImage other = TinyModel.pipeline().generate(new DiffusionPipeline.Request("a fox", "", 64, 64, 3, 7.5,
                100, 1, Scheduler.Kind.EULER), new Steps(99), null).images().get(0);
        boolean same = true;
        boolean different = false;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                same &= first.getRGB(x, y) == again.getRGB(x, y);
                different |= first.getRGB(x, y) != other.getRGB(x, y);
            }
        }
        assertTrue(same, "the same seed gave different pixels");
        assertTrue(different, "another seed gave the same pixels");
    }

    @Test
    void aCancelledRequestStopsAtTheNextStep() throws Exception {
        Steps steps = new Steps(3);
        List<float[]> trace = new ArrayList<>();
        AppException stopped = assertThrows(AppException.class, () -> TinyModel.pipeline().generate(
                new DiffusionPipeline.Request("a fox", "", 64, 64, 40, 7.5, 1, 1, Scheduler.Kind.DDIM), steps, trace));
        assertEquals(499, stopped.status());
        assertEquals(3, trace.size(), "ran past the cancellation");
        assertEquals(List.of("1/40", "2/40", "3/40"), steps.progress);
    }
}
