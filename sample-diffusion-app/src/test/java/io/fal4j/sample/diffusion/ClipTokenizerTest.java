package io.fal4j.sample.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java tokenizer against the reference: Hugging Face's tokenizers library (what transformers'
 * CLIPTokenizerFast runs), loaded with the same vocabulary and merges as a tokenizer.json.
 */
class ClipTokenizerTest {

    private static final int LENGTH = 77;
    private static ClipTokenizer tokenizer;
    private static HuggingFaceTokenizer reference;

    @BeforeAll
    static void load() throws Exception {
        Path model = TinyModel.dir();
        tokenizer = ClipTokenizer.load(model.resolve("vocab.json"), model.resolve("merges.txt"), LENGTH);
        reference = HuggingFaceTokenizer.newInstance(Path.of("src/test/resources/tiny-sd/tokenizer.json"),
                Map.of("addSpecialTokens", "true"));
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    /** CLIP's rule on the reference's ids: keep the start token, the first 75 others, end; pad with end. */
    private static long[] expected(String text) {
        long[] ids = reference.encode(text).getIds();
        long end = ids[ids.length - 1];
        long[] padded = new long[LENGTH];
        Arrays.fill(padded, end);
        int kept = Math.min(ids.length - 1, LENGTH - 1);
        System.arraycopy(ids, 0, padded, 0, kept);
        padded[kept] = end;
        return padded;
    }

    private static void matches(String text) {
        assertArrayEquals(expected(text), tokenizer.encode(text), text);
    }

    @Test
    void matchesTheReferenceOnPlainPrompts() {
        for (String text : List.of("a watercolor fox in the snow", "A Watercolor FOX, in the snow!",
                "an astronaut riding a horse on the moon, highly detailed, 8k", "", "   ", "fox")) {
            matches(text);
        }
    }

    @Test
    void matchesTheReferenceOnAccentsAndOtherScripts() {
        for (String text : List.of("Café crème brûlée", "naïve façade résumé", "Cafe\u0301 (decomposed)",
                "ÉCOLE À PARIS", "雪の中の狐", "Ελληνικά γράμματα", "a fox 🦊 in the snow ❄️", "Straße")) {
            matches(text);
        }
    }

    @Test
    void matchesTheReferenceOnPunctuationDigitsAndWhitespace() {
        for (String text : List.of("Hello, world!!! (test) [x] {y} <z>", "3.14159 and 42nd 2024-11-28",
                "100% of $5,000 = ~€4,600?", "tabs\tand\nnew\r\nlines   and    spaces", "...---...",
                "a_b-c+d=e/f\\g|h", "<|endoftext|> inside text <|startoftext|>", "\"quoted\" 'single'")) {
            matches(text);
        }
    }

    @Test
    void matchesTheReferenceOnContractions() {
        for (String text : List.of("It's what they've done", "I'll go, we'd stay, you're late, I'm here",
                "don't can't won't", "IT'S LOUD", "rock'n'roll", "o'clock")) {
            matches(text);
        }
    }

    @Test
    void truncatesTo77WithStartAndEndAndPadsWithEnd() {
        String longText = String.join(" ", java.util.Collections.nCopies(120, "snowy fox"));
        matches(longText);
        long[] ids = tokenizer.encode(longText);
        assertEquals(LENGTH, ids.length);
        long[] empty = tokenizer.encode("");
        assertEquals(ids[0], empty[0], "starts with <|startoftext|>");
        assertEquals(ids[LENGTH - 1], empty[1], "ends with <|endoftext|>");
        assertEquals(empty[1], empty[LENGTH - 1], "pads with <|endoftext|>");
    }

    @Test
    void agreesWithThePythonPipelinesIds() throws Exception {
        for (Golden.Case golden : Golden.cases()) {
            assertArrayEquals(golden.promptIds(), tokenizer.encode(golden.prompt()));
            assertArrayEquals(golden.negativeIds(), tokenizer.encode(golden.negativePrompt()));
        }
    }
}
