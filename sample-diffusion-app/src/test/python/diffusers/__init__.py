"""A stand-in for diffusers in the test of scripts/export_sd15.py, which runs with this directory on
PYTHONPATH. StableDiffusionPipeline.from_pretrained returns tiny random components with the parts of
diffusers' interfaces the export uses: their configs, return_dict=False tuples, the VAE's decode,
the tokenizer's save_pretrained and the scheduler's config. Its UNet downsamples twice and, as
diffusers' UNet2DConditionModel does, hands each upsampler the size of the skip connection it joins
only when the sample's sides are not multiples of its overall upsampling factor (here 4), and
doubles the size otherwise. It writes what from_pretrained was called with to $DIFFUSERS_STUB_LOG."""
import json
import math
import os
import shutil
from types import SimpleNamespace

import torch
from torch import nn
from torch.nn import functional as F

TINY_MODEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "main", "resources",
                          "tiny-sd")
HIDDEN = 16
WIDTH = 8


class CLIPTextModel(nn.Module):
    def __init__(self, vocab_size, max_length):
        super().__init__()
        self.config = SimpleNamespace(hidden_size=HIDDEN)
        self.token = nn.Embedding(vocab_size, HIDDEN)
        self.position = nn.Embedding(max_length, HIDDEN)
        self.register_buffer("position_ids", torch.arange(max_length).unsqueeze(0))
        self.proj = nn.Linear(HIDDEN, HIDDEN)

    def forward(self, input_ids, return_dict=True):
        states = torch.tanh(self.proj(self.token(input_ids)
                                      + self.position(self.position_ids[:, :input_ids.shape[1]])))
        pooled = states[:, -1]
        return SimpleNamespace(last_hidden_state=states, pooler_output=pooled) if return_dict else (states, pooled)


class UNet2DConditionModel(nn.Module):
    num_upsamplers = 2

    def __init__(self):
        super().__init__()
        self.config = SimpleNamespace(in_channels=4)
        self.conv_in = nn.Conv2d(4, WIDTH, 3, padding=1)
        self.time = nn.Linear(WIDTH, WIDTH)
        self.context = nn.Linear(HIDDEN, WIDTH)
        self.down = nn.ModuleList([nn.Conv2d(WIDTH, WIDTH, 3, stride=2, padding=1) for _ in range(2)])
        self.up = nn.ModuleList([nn.Conv2d(2 * WIDTH, WIDTH, 3, padding=1) for _ in range(2)])
        self.conv_out = nn.Conv2d(WIDTH, 4, 3, padding=1)

    def forward(self, sample, timestep, encoder_hidden_states, return_dict=True):
        factor = 2 ** self.num_upsamplers
        forward_upsample_size = any(side % factor != 0 for side in sample.shape[-2:])
        timesteps = timestep[None] if timestep.dim() == 0 else timestep
        timesteps = timesteps.expand(sample.shape[0])
        half = WIDTH // 2
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=timesteps.device) / half)
        angles = timesteps[:, None].float() * freqs[None, :]
        time = self.time(torch.cat([torch.sin(angles), torch.cos(angles)], dim=-1)).to(sample.dtype)
        context = self.context(encoder_hidden_states).mean(dim=1)
        h = self.conv_in(sample) + (time + context)[:, :, None, None]
        skips = []
        for conv in self.down:
            skips.append(h)
            h = F.silu(conv(h))
        for conv in self.up:
            skip = skips.pop()
            if forward_upsample_size:
                h = F.interpolate(h, size=skip.shape[2:], mode="nearest")
            else:
                h = F.interpolate(h, scale_factor=2.0, mode="nearest")
            h = F.silu(conv(torch.cat([h, skip], dim=1)))
        out = self.conv_out(h)
        return SimpleNamespace(sample=out) if return_dict else (out,)


class AutoencoderKL(nn.Module):
    def __init__(self):
        super().__init__()
        self.config = SimpleNamespace(block_out_channels=[WIDTH] * 4, scaling_factor=0.18215)
        self.conv_in = nn.Conv2d(4, WIDTH, 3, padding=1)
        self.ups = nn.ModuleList([nn.Conv2d(WIDTH, WIDTH, 3, padding=1) for _ in range(3)])
        self.conv_out = nn.Conv2d(WIDTH, 3, 3, padding=1)

    def decode(self, latents, return_dict=True):
        h = self.conv_in(latents)
        for conv in self.ups:
            h = F.silu(conv(F.interpolate(h, scale_factor=2.0, mode="nearest")))
        image = torch.tanh(self.conv_out(h))
        return SimpleNamespace(sample=image) if return_dict else (image,)


class CLIPTokenizer:
    model_max_length = 77

    def save_pretrained(self, directory):
        os.makedirs(directory, exist_ok=True)
        for name in ("vocab.json", "merges.txt"):
            shutil.copy(os.path.join(TINY_MODEL, name), os.path.join(directory, name))
        with open(os.path.join(directory, "tokenizer_config.json"), "w") as f:
            json.dump({"model_max_length": self.model_max_length}, f)


class StableDiffusionPipeline:
    def __init__(self, dtype):
        with open(os.path.join(TINY_MODEL, "vocab.json")) as f:
            vocab_size = len(json.load(f))
        torch.manual_seed(0)
        self.tokenizer = CLIPTokenizer()
        self.text_encoder = CLIPTextModel(vocab_size, self.tokenizer.model_max_length).to(dtype)
        self.unet = UNet2DConditionModel().to(dtype)
        self.vae = AutoencoderKL().to(dtype)
        self.scheduler = SimpleNamespace(config=SimpleNamespace(
            num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012, steps_offset=1, set_alpha_to_one=False))

    @classmethod
    def from_pretrained(cls, model, torch_dtype=torch.float32, token=None):
        log = os.environ.get("DIFFUSERS_STUB_LOG")
        if log:
            with open(log, "w") as f:
                json.dump({"model": model, "torch_dtype": str(torch_dtype), "token": token}, f)
        return cls(torch_dtype)

    def to(self, device):
        for module in (self.text_encoder, self.unet, self.vae):
            module.to(device)
        return self
