"""The text-to-image pipeline in Python over the same TorchScript files as the Java app: the
reference its golden values come from, and its peer in bench/pipeline.sh.

    python3 reference_pipeline.py MODEL_DIR --prompt "a fox" --steps 4 --width 512 --height 512 [--repeat 5]
prints one JSON line per run: stage timings and the image statistics."""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clip_tokenizer import ClipTokenizer  # noqa: E402
from schedulers import SCHEDULERS, Schedule  # noqa: E402


class Pipeline:
    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "config.json")) as f:
            self.config = json.load(f)
        files = self.config["components"]
        self.text_encoder = torch.jit.load(os.path.join(model_dir, files["text_encoder"])).eval()
        self.unet = torch.jit.load(os.path.join(model_dir, files["unet"])).eval()
        self.vae_decoder = torch.jit.load(os.path.join(model_dir, files["vae_decoder"])).eval()
        tokenizer = self.config["tokenizer"]
        self.tokenizer = ClipTokenizer(os.path.join(model_dir, tokenizer["vocab"]),
                                       os.path.join(model_dir, tokenizer["merges"]))
        self.schedule = Schedule(**self.config["scheduler"])

    @torch.no_grad()
    def __call__(self, prompt, negative_prompt="", seed=42, steps=4, guidance=7.5, width=64, height=64,
                 num_images=1, scheduler="PNDM", trace=None):
        timings = {}
        start = time.perf_counter()
        ids = torch.tensor([self.tokenizer.encode(prompt)], dtype=torch.int64)
        guided = guidance > 1.0
        if guided:
            ids = torch.cat([torch.tensor([self.tokenizer.encode(negative_prompt)], dtype=torch.int64), ids])
        timings["tokenize"] = time.perf_counter() - start
        t = time.perf_counter()
        embeddings = self.text_encoder(ids)
        timings["text_encoder"] = time.perf_counter() - t
        if guided:
            embeddings = torch.cat([embeddings[0:1].expand(num_images, -1, -1),
                                    embeddings[1:2].expand(num_images, -1, -1)])
        else:
            embeddings = embeddings.expand(num_images, -1, -1)
        sched = SCHEDULERS[scheduler](self.schedule, steps)
        factor = self.config["vae_scale_factor"]
        torch.manual_seed(seed)
        latents = torch.randn((num_images, self.config["latent_channels"], height // factor, width // factor))
        latents = latents * sched.init_noise_sigma
        unet_time = 0.0
        for i, timestep in enumerate(sched.timesteps):
            model_input = torch.cat([latents] * 2) if guided else latents
            model_input = sched.scale_model_input(model_input, i)
            t = time.perf_counter()
            noise = self.unet(model_input, torch.tensor(float(timestep)), embeddings)
            unet_time += time.perf_counter() - t
            if guided:
                uncond, cond = noise.chunk(2)
                noise = uncond + guidance * (cond - uncond)
            latents = sched.step(noise, i, latents)
            if trace is not None:
                trace.append(latents.clone())
        timings["unet"] = unet_time
        t = time.perf_counter()
        image = self.vae_decoder(latents / self.config["latent_scale_factor"])
        timings["vae_decode"] = time.perf_counter() - t
        pixels = ((image / 2 + 0.5).clamp(0, 1) * 255).round().to(torch.uint8).permute(0, 2, 3, 1)
        timings["total"] = time.perf_counter() - start
        return pixels, timings


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir")
    parser.add_argument("--prompt", default="a watercolor fox in the snow")
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--width", type=int, default=512)
    parser.add_argument("--height", type=int, default=512)
    parser.add_argument("--scheduler", default="PNDM")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    started = time.perf_counter()
    pipeline = Pipeline(args.model_dir)
    loaded = time.perf_counter() - started
    for run in range(args.repeat):
        pixels, timings = pipeline(args.prompt, seed=run, steps=args.steps, width=args.width, height=args.height,
                                   scheduler=args.scheduler)
        timings["load"] = loaded
        timings["mean_pixel"] = float(pixels.float().mean())
        print(json.dumps(timings), flush=True)


if __name__ == "__main__":
    main()
