package io.fal4j.sample.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model directory's JSON files: read as written, and a clear error naming the file and member when not. */
class JsonFileTest {

    private static final String CONFIG = """
            {"name": "tiny", "components": {"text_encoder": "te.pt", "unet": "unet.pt", "vae_decoder": "vae.pt"},
             "hidden_size": 32, "max_length": 77, "latent_channels": 4, "vae_scale_factor": 8,
             "latent_scale_factor": 0.18215, "tokenizer": {"vocab": "vocab.json", "merges": "merges.txt"},
             "scheduler": {"train_steps": 1000, "beta_start": 0.00085, "beta_end": 0.012, "steps_offset": 1,
                           "set_alpha_to_one": false, "default": "PNDM", "default_steps": 25},
             "exported_by": {"tool": "export_sd15.py", "versions": [2, 7, null, 1e3, true]}}
            """;

    @TempDir
    Path dir;

    private ModelConfig config(String json) throws IOException {
        Files.writeString(dir.resolve("config.json"), json);
        return ModelConfig.read(dir);
    }

    private String error(String json) {
        return assertThrows(IOException.class, () -> config(json)).getMessage();
    }

    /** That reading {@code json} fails with {@code message}, after the file's name. */
    private void assertRefused(String message, String json) {
        assertEquals(dir.resolve("config.json") + ": " + message, error(json));
    }

    @Test
    void readsEveryMemberAndIgnoresOnesItDoesNotKnow() throws Exception {
        ModelConfig config = config(CONFIG);

        assertEquals(new ModelConfig("tiny", new ModelConfig.Components("te.pt", "unet.pt", "vae.pt"), 32, 77, 4, 8,
                0.18215, "float32", new ModelConfig.TokenizerFiles("vocab.json", "merges.txt"),
                new ModelConfig.SchedulerConfig(1000, 0.00085, 0.012, 1, false, "PNDM", 25)), config);
    }

    @Test
    void nameAndTypeMayBeLeftOut() throws Exception {
        ModelConfig config = config(CONFIG.replace("\"name\": \"tiny\",", ""));

        assertEquals(dir.getFileName().toString(), config.name());
        assertEquals("float32", config.dtype());
        assertEquals("float16", config(CONFIG.replace("\"name\"", "\"dtype\": \"float16\", \"name\"")).dtype());
    }

    @Test
    void aMissingMemberIsNamedWithTheObjectsItIsIn() {
        assertRefused("\"hidden_size\" is missing",
                CONFIG.replace("\"hidden_size\": 32,", ""));
        assertRefused("\"scheduler.beta_end\" is missing",
                CONFIG.replace("\"beta_end\": 0.012,", ""));
        assertRefused("\"components.unet\" is missing",
                CONFIG.replace("\"unet\": \"unet.pt\"", "\"unet\": null"));
    }

    @Test
    void aMemberOfTheWrongTypeIsNamed() {
        assertRefused("\"scheduler.train_steps\" must be an integer",
                CONFIG.replace("\"train_steps\": 1000", "\"train_steps\": \"1000\""));
        assertRefused("\"max_length\" must be an integer",
                CONFIG.replace("\"max_length\": 77", "\"max_length\": 77.5"));
        assertRefused("\"max_length\" must be an integer",
                CONFIG.replace("\"max_length\": 77", "\"max_length\": 4294967373"));
        assertRefused("\"scheduler.set_alpha_to_one\" must be true or false",
                CONFIG.replace("\"set_alpha_to_one\": false", "\"set_alpha_to_one\": 0"));
        assertRefused("\"tokenizer\" must be an object",
                CONFIG.replace("{\"vocab\": \"vocab.json\", \"merges\": \"merges.txt\"}", "[]"));
        assertRefused("\"components.unet\" must be a string",
                CONFIG.replace("\"unet\": \"unet.pt\"", "\"unet\": 1"));
    }

    @Test
    void aFileThatIsNotAJsonObjectIsRefused() {
        assertRefused("expected a JSON object", "[1, 2]");
        assertRefused("unexpected content after the JSON object", CONFIG + "{}");
        String broken = error(CONFIG.substring(0, CONFIG.length() / 2));
        assertEquals(dir.resolve("config.json") + ": not valid JSON: ", broken.substring(0, broken.indexOf("JSON: ") + 6));
    }

    @Test
    void aVocabularyIsReadAsTokenIds() throws Exception {
        Path vocab = Files.writeString(dir.resolve("vocab.json"), "{\"a</w>\": 0, \"\\u00e9\": 1, \"<|endoftext|>\": 49407}");

        assertEquals(Map.of("a</w>", 0, "é", 1, "<|endoftext|>", 49407), JsonFile.integers(vocab));

        Files.writeString(vocab, "{\"a</w>\": 0, \"b</w>\": \"1\"}");
        assertEquals(vocab + ": the value of \"b</w>\" must be an integer",
                assertThrows(IOException.class, () -> JsonFile.integers(vocab)).getMessage());
        Files.writeString(vocab, "{\"a</w>\": 0, \"b</w>\": 1.0}");
        assertEquals(vocab + ": the value of \"b</w>\" must be an integer",
                assertThrows(IOException.class, () -> JsonFile.integers(vocab)).getMessage());
    }
}
