package io.fal4j.sample.diffusion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE tokenizer, as Stable Diffusion's text encoder expects it (and as Hugging
 * Face's CLIPTokenizerFast does it): NFC, whitespace collapsed, lower case, CLIP's split pattern,
 * bytes mapped to printable characters, merges ranked by {@code merges.txt} with the {@code </w>}
 * end-of-word marker, then {@code <|startoftext|> ... <|endoftext|>} truncated and padded to the
 * sequence length with {@code <|endoftext|>}. Reads a Stable Diffusion repo's {@code vocab.json} and
 * {@code merges.txt}.
 */
public final class ClipTokenizer {

    private static final Pattern WORDS = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String START = "<|startoftext|>";
    private static final String END = "<|endoftext|>";
    private static final String END_OF_WORD = "</w>";
    private static final String[] BYTES = byteToUnicode();
    private static final int CACHE_LIMIT = 10_000;

    private final Map<String, Integer> vocab;
    private final Map<String, Integer> ranks;
    private final int length;
    private final int start;
    private final int end;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private ClipTokenizer(Map<String, Integer> vocab, Map<String, Integer> ranks, int length) {
        this.vocab = vocab;
        this.ranks = ranks;
        this.length = length;
        this.start = id(START);
        this.end = id(END);
    }

    /**
     * Loads a tokenizer.
     *
     * @param vocabJson the token-to-id map
     * @param mergesTxt the merges in rank order, after a {@code #version} line
     * @param length the sequence length, 77 for CLIP
     */
    public static ClipTokenizer load(Path vocabJson, Path mergesTxt, int length) throws IOException {
        Map<String, Integer> vocab = JsonFile.integers(vocabJson);
        Map<String, Integer> ranks = new HashMap<>();
        for (String line : Files.readAllLines(mergesTxt, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#version")) {
                ranks.putIfAbsent(line.strip(), ranks.size());
            }
        }
        return new ClipTokenizer(vocab, ranks, length);
    }

    /** The ids of a text: start, the text's tokens (truncated), end, then end as padding; always {@code length} long. */
    public long[] encode(String text) {
        long[] ids = new long[length];
        Arrays.fill(ids, end);
        ids[0] = start;
        int at = 1;
        String normal = WHITESPACE.matcher(Normalizer.normalize(text, Normalizer.Form.NFC)).replaceAll(" ")
                .toLowerCase(Locale.ROOT);
        Matcher words = WORDS.matcher(normal);
        while (words.find() && at < length - 1) {
            for (int id : bpe(words.group())) {
                if (at == length - 1) {
                    break;
                }
                ids[at++] = id;
            }
        }
        ids[at] = end;
        return ids;
    }

    private int[] bpe(String word) {
        int[] known = cache.get(word);
        if (known != null) {
            return known;
        }
        int[] ids;
        if (word.equals(START) || word.equals(END)) {
            ids = new int[] {id(word)};
        } else {
            List<String> symbols = symbols(word);
            merge(symbols);
            ids = symbols.stream().mapToInt(this::id).toArray();
        }
        if (cache.size() < CACHE_LIMIT) {
            cache.put(word, ids);
        }
        return ids;
    }

    /** The word's bytes as printable characters, the last one marked as the end of the word. */
    private static List<String> symbols(String word) {
        byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
        List<String> symbols = new ArrayList<>(utf8.length);
        for (byte b : utf8) {
            symbols.add(BYTES[b & 0xff]);
        }
        int last = symbols.size() - 1;
        symbols.set(last, symbols.get(last) + END_OF_WORD);
        return symbols;
    }

    /** Applies the best-ranked merge, everywhere in the word, until none applies. */
    private void merge(List<String> symbols) {
        while (symbols.size() > 1) {
            int best = Integer.MAX_VALUE;
            String left = null;
            String right = null;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer rank = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
                if (rank != null && rank < best) {
                    best = rank;
                    left = symbols.get(i);
                    right = symbols.get(i + 1);
                }
            }
            if (left == null) {
                return;
            }
            for (int i = 0; i + 1 < symbols.size(); i++) {
                if (symbols.get(i).equals(left) && symbols.get(i + 1).equals(right)) {
                    symbols.set(i, left + right);
                    symbols.remove(i + 1);
                }
            }
        }
    }

    private int id(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalStateException("The vocabulary has no token '" + token + "'");
        }
        return id;
    }

    /** CLIP's reversible map from the 256 byte values to printable unicode characters. */
    private static String[] byteToUnicode() {
        String[] table = new String[256];
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE && b <= 0xFF;
            table[b] = String.valueOf((char) (printable ? b : 256 + extra++));
        }
        return table;
    }
}
