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
        assertEquals(dir.resolve("config.json") + ": \"hidden_size\" is missing",
                error(CONFIG.replace("\"hidden_size\": 32,", "")));
        assertEquals(dir.resolve("config.json") + ": \"scheduler.beta_end\" is missing",
                error(CONFIG.replace("\"beta_end\": 0.012,", "")));
        assertEquals(dir.resolve("config.json") + ": \"components.unet\" is missing",
                error(CONFIG.replace("\"unet\": \"unet.pt\"", "\"unet\": null")));
    }

    @Test
    void aMemberOfTheWrongTypeIsNamed() {
        assertEquals(dir.resolve("config.json") + ": \"scheduler.train_steps\" must be an integer",
                error(CONFIG.replace("\"train_steps\": 1000", "\"train_steps\": \"1000\"")));
        assertEquals(dir.resolve("config.json") + ": \"max_length\" must be an integer",
                error(CONFIG.replace("\"max_length\": 77", "\"max_length\": 77.5")));
        assertEquals(dir.resolve("config.json") + ": \"max_length\" must be an integer",
                error(CONFIG.replace("\"max_length\": 77", "\"max_length\": 4294967373")));
        assertEquals(dir.resolve("config.json") + ": \"scheduler.set_alpha_to_one\" must be true or false",
                error(CONFIG.replace("\"set_alpha_to_one\": false", "\"set_alpha_to_one\": 0")));
        assertEquals(dir.resolve("config.json") + ": \"tokenizer\" must be an object",
                error(CONFIG.replace("{\"vocab\": \"vocab.json\", \"merges\": \"merges.txt\"}", "[]")));
        assertEquals(dir.resolve("config.json") + ": \"components.unet\" must be a string",
                error(CONFIG.replace("\"unet\": \"unet.pt\"", "\"unet\": 1")));
    }

    @Test
    void aFileThatIsNotAJsonObjectIsRefused() {
        assertEquals(dir.resolve("config.json") + ": expected a JSON object", error("[1, 2]"));
        assertEquals(dir.resolve("config.json") + ": unexpected content after the JSON object", error(CONFIG + "{}"));
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
