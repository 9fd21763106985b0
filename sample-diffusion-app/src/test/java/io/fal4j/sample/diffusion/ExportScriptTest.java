package io.fal4j.sample.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/export_sd15.py}, run as the app's image build runs it, over a stand-in for diffusers
 * ({@code src/test/python/diffusers}) with tiny random components. Its UNet downsamples twice and,
 * like diffusers' UNet, hands its upsamplers the skip connections' sizes only for sides its
 * upsampling factor does not divide; the directory the export writes must load in the pipeline and
 * serve image sizes the UNet was not traced at, the factor dividing their latent sides or not. An
 * export for CUDA where torch sees no GPU stops before it loads anything.
 */
class ExportScriptTest {

    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    static Path work;
    private static Path out;
    private static Path call;

    @BeforeAll
    static void export() throws Exception {
        assumeTrue(python("import torch"), "needs Debian's python3-torch: " + PYTHON + " cannot import torch");
        out = work.resolve("sd15");
        call = work.resolve("from_pretrained.json");
        Exit export = export(out, "float32", "cpu");
        assertEquals(0, export.status(), "export_sd15.py failed:\n" + export.output());
    }

    private record Exit(int status, String output) {
    }

    /** Runs the export as the image build does, with the stand-in for diffusers. */
    private static Exit export(Path to, String dtype, String device) throws IOException, InterruptedException {
        ProcessBuilder export = new ProcessBuilder(PYTHON, "scripts/export_sd15.py", "--model", "org/sd-stub",
                "--out", to.toString(), "--dtype", dtype, "--device", device).redirectErrorStream(true);
        export.environment().put("PYTHONPATH", Path.of("src/test/python").toAbsolutePath().toString());
        export.environment().put("PYTHONHASHSEED", "0");
        export.environment().put("HF_TOKEN", "hf_build_secret");
        export.environment().put("DIFFUSERS_STUB_LOG", call.toString());
        Process process = export.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Exit(process.waitFor(), output);
    }

    private static boolean python(String script) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(PYTHON, "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor() == 0;
        } catch (IOException notInstalled) {
            return false;
        }
    }

    @Test
    void loadsTheWeightsWithTheTokenFromTheEnvironment() throws Exception {
        JsonFile.Members args = JsonFile.object(call);
        assertEquals("org/sd-stub", args.string("model"));
        assertEquals("torch.float32", args.string("torch_dtype"));
        assertEquals("hf_build_secret", args.string("token"));
    }

    @Test
    void writesTheConfigAndTokenizerTheAppReads() throws Exception {
        assertEquals(new ModelConfig("org/sd-stub",
                new ModelConfig.Components("text_encoder.pt", "unet.pt", "vae_decoder.pt"), 16, 77, 4, 8, 0.18215,
                "float32", new ModelConfig.TokenizerFiles("vocab.json", "merges.txt"),
                new ModelConfig.SchedulerConfig(1000, 0.00085, 0.012, 1, false, "PNDM", 25)), ModelConfig.read(out));
        Path tokenizer = Path.of("src/main/resources/tiny-sd");
        for (String file : List.of("vocab.json", "merges.txt")) {
            assertArrayEquals(Files.readAllBytes(tokenizer.resolve(file)), Files.readAllBytes(out.resolve(file)), file);
        }
    }

    @Test
    void refusesToExportForCudaWithoutAGpu() throws Exception {
        assumeFalse(python("import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)"),
                "torch sees a CUDA GPU here");
        Path to = work.resolve("cuda");
        Exit export = export(to, "float16", "cuda");
        assertEquals(2, export.status(), export.output());
        assertTrue(export.output().contains("--device cuda needs a CUDA GPU"), export.output());
        assertFalse(Files.exists(to), "nothing is written");
    }

    @Test
    void servesSizesTheUNetWasNotTracedAt() throws Exception {
        // latent sides 8 and 12 are multiples of the stand-in UNet's factor (4); 9 and 10 are not
        int[][] sizes = {{64, 64}, {72, 72}, {96, 80}};
        try (DiffusionPipeline pipeline = DiffusionPipeline.load(out, 1)) {
            for (int[] size : sizes) {
                for (double guidance : new double[] {7.5, 1.0}) {
                    int count = guidance > 1 ? 2 : 1;
                    List<BufferedImage> images = pipeline.generate(new DiffusionPipeline.Request("a fox in the snow",
                            "", size[0], size[1], 2, guidance, 5, count, Scheduler.Kind.PNDM),
                            new SchedulerGoldenTest.Steps(Integer.MAX_VALUE), null).images();
                    String what = size[0] + "x" + size[1] + ", guidance " + guidance;
                    assertEquals(count, images.size(), what);
                    for (BufferedImage image : images) {
                        assertEquals(size[0], image.getWidth(), what);
                        assertEquals(size[1], image.getHeight(), what);
                    }
                }
            }
            assertEquals(0, pipeline.leftoverArrays(), "arrays outlived their request");
        }
    }
}
