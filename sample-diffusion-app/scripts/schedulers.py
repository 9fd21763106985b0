"""The diffusers noise schedulers Stable Diffusion 1.5 uses, written after their definitions:
scaled-linear betas, "leading" timestep spacing with steps_offset, epsilon prediction, and
set_alpha_to_one as configured. The Java schedulers are tested against latents these produce."""
import numpy as np
import torch


class Schedule:
    def __init__(self, train_steps=1000, beta_start=0.00085, beta_end=0.012, steps_offset=1,
                 set_alpha_to_one=False, **_):
        betas = torch.linspace(beta_start ** 0.5, beta_end ** 0.5, train_steps, dtype=torch.float32) ** 2
        self.alphas_cumprod = torch.cumprod(1.0 - betas, dim=0)
        self.final_alpha_cumprod = torch.tensor(1.0) if set_alpha_to_one else self.alphas_cumprod[0]
        self.train_steps = train_steps
        self.steps_offset = steps_offset

    def leading(self, steps):
        ratio = self.train_steps // steps
        return (np.arange(0, steps) * ratio).round()[::-1].copy().astype(np.int64) + self.steps_offset


class Ddim:
    """DDIMScheduler with eta = 0."""
    init_noise_sigma = 1.0

    def __init__(self, schedule, steps):
        self.s, self.steps = schedule, steps
        self.timesteps = schedule.leading(steps)

    def scale_model_input(self, sample, i):
        return sample

    def step(self, eps, i, sample):
        t = int(self.timesteps[i])
        prev = t - self.s.train_steps // self.steps
        a_t = self.s.alphas_cumprod[t]
        a_prev = self.s.alphas_cumprod[prev] if prev >= 0 else self.s.final_alpha_cumprod
        x0 = (sample - (1 - a_t) ** 0.5 * eps) / a_t ** 0.5
        return a_prev ** 0.5 * x0 + (1 - a_prev) ** 0.5 * eps


class Euler:
    """EulerDiscreteScheduler (linear sigma interpolation, no churn)."""

    def __init__(self, schedule, steps):
        self.timesteps = schedule.leading(steps).astype(np.float32)
        sigmas = ((1 - schedule.alphas_cumprod) / schedule.alphas_cumprod) ** 0.5
        sigmas = np.interp(self.timesteps, np.arange(0, len(sigmas)), sigmas.numpy())
        self.sigmas = torch.from_numpy(np.concatenate([sigmas, [0.0]]).astype(np.float32))
        self.init_noise_sigma = float((self.sigmas.max() ** 2 + 1) ** 0.5)

    def scale_model_input(self, sample, i):
        return sample / ((self.sigmas[i] ** 2 + 1) ** 0.5)

    def step(self, eps, i, sample):
        sigma = self.sigmas[i]
        x0 = sample - sigma * eps
        derivative = (sample - x0) / sigma
        return sample + derivative * (self.sigmas[i + 1] - sigma)


class Pndm:
    """PNDMScheduler with skip_prk_steps: linear multistep (PLMS) after one warm-up step."""
    init_noise_sigma = 1.0

    def __init__(self, schedule, steps):
        self.s, self.steps = schedule, steps
        ts = schedule.leading(steps)[::-1]
        self.timesteps = np.concatenate([ts[:-1], ts[-2:-1], ts[-1:]])[::-1].copy()
        self.ets, self.counter, self.cur_sample = [], 0, None

    def scale_model_input(self, sample, i):
        return sample

    def step(self, eps, i, sample):
        t = int(self.timesteps[i])
        ratio = self.s.train_steps // self.steps
        prev = t - ratio
        if self.counter != 1:
            self.ets = self.ets[-3:]
            self.ets.append(eps)
        else:
            prev, t = t, t + ratio
        if len(self.ets) == 1 and self.counter == 0:
            self.cur_sample = sample
        elif len(self.ets) == 1 and self.counter == 1:
            eps = (eps + self.ets[-1]) / 2
            sample, self.cur_sample = self.cur_sample, None
        elif len(self.ets) == 2:
            eps = (3 * self.ets[-1] - self.ets[-2]) / 2
        elif len(self.ets) == 3:
            eps = (23 * self.ets[-1] - 16 * self.ets[-2] + 5 * self.ets[-3]) / 12
        else:
            eps = (1 / 24) * (55 * self.ets[-1] - 59 * self.ets[-2] + 37 * self.ets[-3] - 9 * self.ets[-4])
        self.counter += 1
        a_t = self.s.alphas_cumprod[t]
        a_prev = self.s.alphas_cumprod[prev] if prev >= 0 else self.s.final_alpha_cumprod
        sample_coeff = (a_prev / a_t) ** 0.5
        denom = a_t * (1 - a_prev) ** 0.5 + (a_t * (1 - a_t) * a_prev) ** 0.5
        return sample_coeff * sample - (a_prev - a_t) * eps / denom


SCHEDULERS = {"DDIM": Ddim, "EULER": Euler, "PNDM": Pndm}
