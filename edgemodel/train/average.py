"""Average the weights of checkpoints from one training run (their progress is the last one's).

    python -m edgemodel.train.average A.pt B.pt C.pt --out averaged.pt

Checkpoints of one run, some thousand steps apart, sit in one basin: their mean is a smoother model
than any of them (the three committed checkpoints of steps 37131-49295, averaged: false alarms 1.25%
against 1.45%, CWEB F0.5 +0.8, JFLEG and BEA alike).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import torch


def average(paths: list[Path], out: Path) -> dict:
    """Write the half-precision mean of `paths` to `out` (resumable like any half checkpoint)."""
    ckpts = [torch.load(p, map_location="cpu", weights_only=False) for p in paths]
    # dropout acts only in training: models that differ in it alone have the same weights' meaning
    configs = {str({**c["model_config"], "dropout": None}) for c in ckpts}
    if len(configs) > 1:
        raise ValueError(f"checkpoints of different models cannot be averaged: {sorted(configs)}")
    last = max(ckpts, key=lambda c: c["step"])
    mean = {k: (sum(c["model"][k].float() for c in ckpts) / len(ckpts)).half() for k in last["model"]}
    averaged = {**last, "model": mean, "opt": None, "averaged_steps": sorted(c["step"] for c in ckpts)}
    torch.save(averaged, out)
    return averaged


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoints", type=Path, nargs="+")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    averaged = average(args.checkpoints, args.out)
    print(f"{args.out}: mean of steps {averaged['averaged_steps']}")


if __name__ == "__main__":
    main()
