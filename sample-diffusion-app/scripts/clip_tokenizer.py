"""CLIP's byte-level BPE tokenizer, as Stable Diffusion's text encoder expects it: NFC, whitespace
collapsed, lower case, CLIP's split pattern, byte-to-unicode mapping, merges with the </w> end of
word marker, <|startoftext|> ... <|endoftext|>, truncated and padded to 77 tokens. Also a small BPE
trainer that makes the tiny model's vocabulary in the same vocab.json + merges.txt format."""
import json
import unicodedata
from collections import Counter

import regex

PATTERN = regex.compile(
    r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""",
    regex.IGNORECASE)
START, END = "<|startoftext|>", "<|endoftext|>"
MAX_LENGTH = 77


def bytes_to_unicode():
    """CLIP's (and GPT-2's) reversible map from bytes to printable unicode characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENCODER = bytes_to_unicode()


def normalize(text):
    return regex.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).lower()


def merge(word, pair):
    """The word (a tuple of symbols) with every occurrence of the pair merged, left to right."""
    merged, i = [], 0
    while i < len(word):
        if i < len(word) - 1 and (word[i], word[i + 1]) == pair:
            merged.append(word[i] + word[i + 1])
            i += 2
        else:
            merged.append(word[i])
            i += 1
    return tuple(merged)


def end_of_word(token):
    """The token's characters, the last one marked as the end of the word."""
    return tuple(token[:-1]) + (token[-1] + "</w>",)


def words(text):
    """The pre-tokenized words of a text, each as byte-level unicode characters."""
    return ["".join(BYTE_ENCODER[b] for b in token.encode("utf-8")) for token in PATTERN.findall(normalize(text))]


class ClipTokenizer:
    def __init__(self, vocab_path, merges_path):
        with open(vocab_path, encoding="utf-8") as f:
            self.encoder = json.load(f)
        with open(merges_path, encoding="utf-8") as f:
            lines = [line for line in f.read().split("\n") if line and not line.startswith("#version")]
        self.ranks = {tuple(line.split()): i for i, line in enumerate(lines)}
        self.cache = {START: START, END: END}

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = end_of_word(token)
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda pair: self.ranks.get(pair, float("inf")))
            if best not in self.ranks:
                break
            word = merge(word, best)
        self.cache[token] = " ".join(word)
        return self.cache[token]

    def encode(self, text):
        ids = []
        for token in words(text):
            ids.extend(self.encoder[piece] for piece in self.bpe(token).split(" "))
        ids = ids[:MAX_LENGTH - 2]
        ids = [self.encoder[START]] + ids + [self.encoder[END]]
        return ids + [self.encoder[END]] * (MAX_LENGTH - len(ids))


def train(corpus, merges):
    """Learns `merges` BPE merges from a list of texts; returns (vocab dict, merges list)."""
    counts = Counter()
    for text in corpus:
        for token in words(text):
            counts[end_of_word(token)] += 1
    learned = []
    for _ in range(merges):
        pairs = Counter()
        for word, count in counts.items():
            for i in range(len(word) - 1):
                pairs[(word[i], word[i + 1])] += count
        if not pairs:
            break
        best = max(sorted(pairs), key=lambda pair: pairs[pair])
        learned.append(best)
        updated = Counter()
        for word, count in counts.items():
            updated[merge(word, best)] += count
        counts = updated
    base = list(BYTE_ENCODER.values())
    vocab = base + [v + "</w>" for v in base] + ["".join(pair) for pair in learned] + [START, END]
    return {token: i for i, token in enumerate(vocab)}, learned
