"""Training step time in float32 and with bfloat16 matrix products (`--bf16 yes`), same model and batch.

    .venv/bin/python benchmarks/bench_train.py --encoder-layers 8 --threads 1

Prints the median step time of each, their ratio, and the loss each reached: bfloat16 pays off only
on a CPU with native support (AVX512-BF16, AMX); elsewhere it is emulated and slower.
"""
from __future__ import annotations

import argparse
import statistics
import time

import torch

from edgemodel.model import ModelConfig, Seq2Seq
from edgemodel.train.train import TrainConfig, batch_loss


def step_times(cfg: ModelConfig, src, tgt, bf16: bool, steps: int) -> tuple[float, float]:
    """Median seconds per training step (forward, backward, AdamW) after two warm-up steps, and the last loss."""
    torch.manual_seed(0)
    model = Seq2Seq(cfg).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    weights = torch.ones(tgt.shape[0], tgt.shape[1] - 1)
    train_cfg = TrainConfig(model=cfg, bf16=bf16)
    times, loss = [], None
    for _ in range(steps + 2):
        t = time.perf_counter()
        loss = batch_loss(model, src, tgt, weights, train_cfg)
        opt.zero_grad()
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t)
    return statistics.median(times[2:]), loss.item()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoder-layers", type=int, default=8)
    ap.add_argument("--tokens", type=int, default=2000, help="source + target tokens a batch (as --max-tokens)")
    ap.add_argument("--length", type=int, default=36, help="tokens a sentence (Wikipedia: 36 on average)")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    cfg = ModelConfig(encoder_layers=args.encoder_layers)
    g = torch.Generator().manual_seed(0)
    pairs = max(1, args.tokens // (2 * args.length))
    src = torch.randint(4, cfg.vocab_size, (pairs, args.length), generator=g)
    tgt = torch.randint(4, cfg.vocab_size, (pairs, args.length + 1), generator=g)
    print(f"{cfg.encoder_layers}+{cfg.decoder_layers} layers, d{cfg.d_model}, {pairs} pairs x {args.length} tokens, "
          f"{args.threads} thread(s)")
    fp32, loss32 = step_times(cfg, src, tgt, False, args.steps)
    bf16, loss16 = step_times(cfg, src, tgt, True, args.steps)
    print(f"float32 : {fp32 * 1000:7.0f} ms a step   loss {loss32:.4f}")
    print(f"bfloat16: {bf16 * 1000:7.0f} ms a step   loss {loss16:.4f}")
    print(f"bfloat16 is {fp32 / bf16:.2f}x as fast")


if __name__ == "__main__":
    main()
