"""Exports Stable Diffusion 1.5 from diffusers into the model directory layout the Java app loads:
text_encoder.pt, unet.pt and vae_decoder.pt as TorchScript with the tiny model's signatures, the
CLIP tokenizer's vocab.json and merges.txt, and config.json. Runs at image build time:

    HF_TOKEN=... python3 export_sd15.py --model stable-diffusion-v1-5/stable-diffusion-v1-5 \\
        --out /models/sd15 --dtype float16 --device cuda      # for CUDA images
    python3 export_sd15.py --out ./sd15-cpu --dtype float32 --device cpu   # for CPU

Needs torch, diffusers and transformers (pinned in the app's Dockerfile)."""
import argparse
import json
import os
import shutil

import torch
from diffusers import StableDiffusionPipeline


TRACE_SIDE = 63  # latent side the UNet is traced at: odd, so not a multiple of any upsampling factor


class TextEncoder(torch.nn.Module):
    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids):
        return self.encoder(input_ids, return_dict=False)[0]


class UNet(torch.nn.Module):
    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.unet(sample, timestep, encoder_hidden_states, return_dict=False)[0]


class VaeDecoder(torch.nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latents):
        return self.vae.decode(latents, return_dict=False)[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="stable-diffusion-v1-5/stable-diffusion-v1-5")
    parser.add_argument("--out", required=True)
    parser.add_argument("--dtype", choices=["float16", "float32"], default="float32")
    parser.add_argument("--device", choices=["cuda", "cpu"], default="cpu")
    args = parser.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        # A trace bakes in the device of the tensors it creates (timestep embeddings, attention masks): one
        # made on the CPU does not run on CUDA, so the export needs the GPU it exports for.
        parser.exit(2, "export_sd15.py: --device cuda needs a CUDA GPU visible to this process (in an image"
                       " build, one the builder exposes to RUN); torch sees none\n")
    dtype = torch.float16 if args.dtype == "float16" else torch.float32
    pipe = StableDiffusionPipeline.from_pretrained(args.model, torch_dtype=dtype, token=os.environ.get("HF_TOKEN"))
    pipe = pipe.to(args.device)
    os.makedirs(args.out, exist_ok=True)
    hidden = pipe.text_encoder.config.hidden_size
    channels = pipe.unet.config.in_channels
    with torch.no_grad():
        ids = torch.zeros((2, 77), dtype=torch.int64, device=args.device)
        traced = torch.jit.trace(TextEncoder(pipe.text_encoder.eval()), (ids,), check_trace=False)
        traced.save(os.path.join(args.out, "text_encoder.pt"))
        # Traced at sides that no upsampling factor divides: diffusers' UNet then hands each upsampler the
        # size of the skip connection it joins, read from the tensors at run time, and the trace serves any
        # side. Traced at 64, it would only double sizes and fail for a side the factor (8) does not divide.
        sample = torch.randn((2, channels, TRACE_SIDE, TRACE_SIDE), dtype=dtype, device=args.device)
        timestep = torch.tensor(999.0, device=args.device)
        states = torch.randn((2, 77, hidden), dtype=dtype, device=args.device)
        traced = torch.jit.trace(UNet(pipe.unet.eval()), (sample, timestep, states), check_trace=False)
        traced.save(os.path.join(args.out, "unet.pt"))
        latents = torch.randn((1, channels, 64, 64), dtype=dtype, device=args.device)
        traced = torch.jit.trace(VaeDecoder(pipe.vae.eval()), (latents,), check_trace=False)
        traced.save(os.path.join(args.out, "vae_decoder.pt"))
    tokenizer_dir = os.path.join(args.out, "tokenizer")
    pipe.tokenizer.save_pretrained(tokenizer_dir)
    for name in ["vocab.json", "merges.txt"]:
        shutil.copy(os.path.join(tokenizer_dir, name), os.path.join(args.out, name))
    scheduler = pipe.scheduler.config
    config = {
        "name": args.model, "dtype": args.dtype,
        "components": {"text_encoder": "text_encoder.pt", "unet": "unet.pt", "vae_decoder": "vae_decoder.pt"},
        "hidden_size": hidden, "max_length": pipe.tokenizer.model_max_length, "latent_channels": channels,
        "vae_scale_factor": 2 ** (len(pipe.vae.config.block_out_channels) - 1),
        "latent_scale_factor": pipe.vae.config.scaling_factor,
        "tokenizer": {"vocab": "vocab.json", "merges": "merges.txt"},
        "scheduler": {"train_steps": scheduler.num_train_timesteps, "beta_start": scheduler.beta_start,
                      "beta_end": scheduler.beta_end, "steps_offset": scheduler.steps_offset,
                      "set_alpha_to_one": scheduler.set_alpha_to_one, "default": "PNDM", "default_steps": 25},
    }
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)


if __name__ == "__main__":
    main()
