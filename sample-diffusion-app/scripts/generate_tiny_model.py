"""Makes the tiny Stable-Diffusion model the sample app ships and tests with, and the golden values
its Java pipeline is checked against. Reproducible: run it with Debian's python3-torch as

    PYTHONHASHSEED=0 /usr/bin/python3 sample-diffusion-app/scripts/generate_tiny_model.py

It writes, under sample-diffusion-app/src/: a text encoder, a UNet and a VAE decoder as TorchScript
with the real components' signatures (token ids [B,77] -> states [B,77,H]; latents [B,4,h,w],
timestep, states -> noise [B,4,h,w]; latents -> image [B,3,8h,8w]) but random weights; a CLIP-format
vocab.json + merges.txt learned from a small corpus; config.json; and golden latents, step by step,
for every scheduler, plus the tokenizer as a Hugging Face tokenizer.json for the Java tests' reference."""
import json
import math
import os
import random
import sys

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import clip_tokenizer  # noqa: E402
from reference_pipeline import Pipeline  # noqa: E402

APP = os.path.dirname(HERE)
MODEL_DIR = os.path.join(APP, "src", "main", "resources", "tiny-sd")
TEST_DIR = os.path.join(APP, "src", "test", "resources", "tiny-sd")
HIDDEN = 32
LENGTH = 77

CORPUS = """a watercolor fox in the snow
an astronaut riding a horse on the moon, highly detailed, 8k
a photo of a cat sitting on a windowsill at sunset
portrait of an old fisherman, dramatic lighting, oil painting
a futuristic city skyline at night with neon lights and flying cars
a bowl of ramen with a soft boiled egg, studio photography
a cozy cabin in the woods during winter, smoke from the chimney
the starry night over a quiet village, in the style of van gogh
a red sports car parked on a mountain road, cinematic
a dragon made of crystal flying over a waterfall, fantasy art
a minimalist living room with a large window and plants
an isometric illustration of a tiny island with a lighthouse
a golden retriever puppy playing in autumn leaves
macro shot of a dewdrop on a green leaf, bokeh
a medieval castle on a cliff during a thunderstorm
a cup of coffee and a croissant on a wooden table, morning light
a robot painting a portrait in an art studio
an underwater coral reef with colorful fish and sunlight rays
a samurai standing in a bamboo forest, mist, ultra realistic
a vintage poster of a train crossing the desert
blurry, low quality, jpeg artifacts, watermark, text, bad anatomy
deformed hands, extra fingers, out of frame, cropped, worst quality
a snowy mountain reflected in a calm lake at dawn
a hot air balloon festival over green hills, wide angle
a bustling market in marrakech with spices and lanterns
a portrait of a woman with freckles and red hair, 35mm film
a steampunk airship above victorian london, detailed illustration
a field of sunflowers under a blue sky with white clouds
a close up of a tiger's face, national geographic photo
a spaceship landing on a red planet, concept art, 4k""".split("\n")


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class TextEncoder(nn.Module):
    """Token and position embeddings, one causal self-attention block: CLIP's shape, tiny."""

    def __init__(self, vocab_size: int):
        super().__init__()
        self.token = nn.Embedding(vocab_size, HIDDEN)
        self.position = nn.Parameter(torch.randn(LENGTH, HIDDEN) * 0.5)
        self.qkv = nn.Linear(HIDDEN, 3 * HIDDEN)
        self.out = nn.Linear(HIDDEN, HIDDEN)
        self.norm1 = nn.LayerNorm(HIDDEN)
        self.mlp1 = nn.Linear(HIDDEN, 2 * HIDDEN)
        self.mlp2 = nn.Linear(2 * HIDDEN, HIDDEN)
        self.norm2 = nn.LayerNorm(HIDDEN)
        self.register_buffer("mask", torch.full((LENGTH, LENGTH), float("-inf")).triu(1))
        self.scale = 1.0 / math.sqrt(HIDDEN)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        x = self.token(input_ids) + self.position
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        weights = torch.softmax(q @ k.transpose(1, 2) * self.scale + self.mask, dim=-1)
        x = self.norm1(x + self.out(weights @ v))
        return self.norm2(x + self.mlp2(F.gelu(self.mlp1(x))))


class UNet(nn.Module):
    """Timestep embedding, one cross-attention to the text states, convolutions: a UNet's contract."""

    def __init__(self):
        super().__init__()
        self.conv_in = nn.Conv2d(4, HIDDEN, 3, padding=1)
        self.time1 = nn.Linear(HIDDEN, HIDDEN)
        self.time2 = nn.Linear(HIDDEN, HIDDEN)
        self.norm = nn.GroupNorm(8, HIDDEN)
        self.q = nn.Conv2d(HIDDEN, HIDDEN, 1)
        self.k = nn.Linear(HIDDEN, HIDDEN)
        self.v = nn.Linear(HIDDEN, HIDDEN)
        self.proj = nn.Conv2d(HIDDEN, HIDDEN, 1)
        self.mid = nn.Conv2d(HIDDEN, HIDDEN, 3, padding=1)
        self.conv_out = nn.Conv2d(HIDDEN, 4, 3, padding=1)
        self.hidden = HIDDEN
        self.register_buffer("freqs", torch.exp(-math.log(10000.0) * torch.arange(HIDDEN // 2, dtype=torch.float32)
                                                / (HIDDEN // 2)))

    def forward(self, sample: torch.Tensor, timestep: torch.Tensor,
                encoder_hidden_states: torch.Tensor) -> torch.Tensor:
        angles = timestep.float().reshape(1, 1) * self.freqs.reshape(1, -1)
        time = self.time2(F.silu(self.time1(torch.cat([torch.sin(angles), torch.cos(angles)], dim=1))))
        h = self.conv_in(sample) + time.reshape(1, self.hidden, 1, 1)
        h = F.silu(self.norm(h))
        b, c, height, width = h.shape
        q = self.q(h).flatten(2).transpose(1, 2)
        k = self.k(encoder_hidden_states)
        v = self.v(encoder_hidden_states)
        attended = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(float(c)), dim=-1) @ v
        h = h + self.proj(attended.transpose(1, 2).reshape(b, c, height, width))
        return self.conv_out(F.silu(self.mid(h))) * 0.5


class VaeDecoder(nn.Module):
    """Three 2x upsamplings from latents to RGB: the decoder's 8x contract."""

    def __init__(self):
        super().__init__()
        self.conv_in = nn.Conv2d(4, 16, 3, padding=1)
        self.up1 = nn.Conv2d(16, 16, 3, padding=1)
        self.up2 = nn.Conv2d(16, 8, 3, padding=1)
        self.up3 = nn.Conv2d(8, 8, 3, padding=1)
        self.conv_out = nn.Conv2d(8, 3, 3, padding=1)

    def forward(self, latents: torch.Tensor) -> torch.Tensor:
        h = F.silu(self.conv_in(latents * 0.18215))
        h = F.silu(self.up1(F.interpolate(h, scale_factor=2.0, mode="nearest")))
        h = F.silu(self.up2(F.interpolate(h, scale_factor=2.0, mode="nearest")))
        h = F.silu(self.up3(F.interpolate(h, scale_factor=2.0, mode="nearest")))
        return torch.tanh(self.conv_out(h) * 4.0)


def huggingface_tokenizer(vocab, merges):
    """The same tokenizer in the Hugging Face tokenizers format CLIPTokenizerFast uses."""
    start, end = vocab[clip_tokenizer.START], vocab[clip_tokenizer.END]
    special = [{"id": start, "content": clip_tokenizer.START}, {"id": end, "content": clip_tokenizer.END}]
    for token in special:
        token.update({"single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True})
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": special,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
            {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": clip_tokenizer.PATTERN.pattern}, "behavior": "Removed",
             "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "RobertaProcessing", "sep": [clip_tokenizer.END, end],
                           "cls": [clip_tokenizer.START, start], "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": clip_tokenizer.END, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False, "vocab": vocab,
                  "merges": [" ".join(pair) for pair in merges]},
    }


def write_json(path, value, indent=None):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=indent)
        f.write("\n")


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        sys.exit("run with PYTHONHASHSEED=0 so that the outputs are reproducible")
    torch.set_num_threads(1)
    os.makedirs(MODEL_DIR, exist_ok=True)
    os.makedirs(TEST_DIR, exist_ok=True)

    vocab, merges = clip_tokenizer.train(CORPUS, 700)
    write_json(os.path.join(MODEL_DIR, "vocab.json"), vocab)
    with open(os.path.join(MODEL_DIR, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(" ".join(pair) + "\n" for pair in merges))
    write_json(os.path.join(TEST_DIR, "tokenizer.json"), huggingface_tokenizer(vocab, merges))

    seed_everything(2024)
    with torch.no_grad():
        components = {"text_encoder": TextEncoder(len(vocab)), "unet": UNet(), "vae_decoder": VaeDecoder()}
        for name, module in components.items():
            torch.jit.script(module.eval()).save(os.path.join(MODEL_DIR, name + ".pt"))
    write_json(os.path.join(MODEL_DIR, "config.json"), {
        "name": "tiny-sd",
        "components": {name: name + ".pt" for name in components},
        "hidden_size": HIDDEN, "max_length": LENGTH, "latent_channels": 4, "vae_scale_factor": 8,
        "latent_scale_factor": 0.18215,
        "tokenizer": {"vocab": "vocab.json", "merges": "merges.txt"},
        "scheduler": {"train_steps": 1000, "beta_start": 0.00085, "beta_end": 0.012, "steps_offset": 1,
                      "set_alpha_to_one": False, "default": "PNDM", "default_steps": 25},
    }, indent=2)

    pipeline = Pipeline(MODEL_DIR)
    cases = []
    for scheduler in ["DDIM", "EULER", "PNDM"]:
        for guidance in [7.5, 1.0]:
            case = {"prompt": "A Watercolor FOX, in the snow!", "negative_prompt": "blurry", "seed": 1234,
                    "steps": 4, "guidance_scale": guidance, "width": 64, "height": 48, "num_images": 2,
                    "scheduler": scheduler}
            trace = []
            pixels, _ = pipeline(case["prompt"], case["negative_prompt"], case["seed"], case["steps"],
                                 case["guidance_scale"], case["width"], case["height"], case["num_images"],
                                 scheduler, trace)
            case["prompt_ids"] = pipeline.tokenizer.encode(case["prompt"])
            case["negative_ids"] = pipeline.tokenizer.encode(case["negative_prompt"])
            case["latents"] = [[round(v, 7) for v in step.flatten().tolist()] for step in trace]
            p = pixels.float()
            case["pixels"] = {"shape": list(pixels.shape), "mean": float(p.mean()), "std": float(p.std()),
                              "channel_means": [float(p[..., c].mean()) for c in range(3)],
                              "min": int(pixels.min()), "max": int(pixels.max())}
            cases.append(case)
    write_json(os.path.join(TEST_DIR, "golden.json"), {"model": "tiny-sd", "cases": cases})
    sizes = {f: os.path.getsize(os.path.join(MODEL_DIR, f)) for f in sorted(os.listdir(MODEL_DIR))}
    print(json.dumps(sizes), "total", sum(sizes.values()))


if __name__ == "__main__":
    main()
