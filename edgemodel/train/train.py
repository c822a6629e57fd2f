"""Train the corrector on the CPU, resumably.

    python -m edgemodel.train.train --data ../shared/data --run-dir runs/main --hours 2.5
    torchrun --nproc_per_node 2 -m edgemodel.train.train ...   # DDP (gloo on CPU, nccl on GPU)

Top to bottom: configuration, data, model, optimizer, then one loop that steps, logs, evaluates,
checkpoints, and stops by time or step count. `runs/NAME/last.pt` holds everything needed to go
on exactly where it stopped (weights, AdamW moments, schedule, RNGs, data position).
"""
from __future__ import annotations

import argparse
import ctypes
import json
import math
import os
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
import torch.distributed as dist

from edgemodel.checker import MAX_TOKENS
from edgemodel.model import ModelConfig, Seq2Seq, weighted_loss
from edgemodel.tokenizer import Tokenizer
from edgemodel.train.corpus import DEFAULT_DATA, detokenize, m2_pairs, read_pairs, real_pairs
from edgemodel.train.data import Batcher, DataConfig, edit_weights


@dataclass
class TrainConfig:
    run_dir: Path = Path("runs/main")
    data: Path = DEFAULT_DATA
    tokenizer: Path = Path("assets/spm.model")
    init: Path = Path("")       # checkpoint to start from when the run has none (e.g. the committed half one)
    model: ModelConfig = field(default_factory=ModelConfig)
    lr: float = 7e-4
    warmup: int = 300
    weight_decay: float = 0.01
    label_smoothing: float = 0.1
    edit_weight: float = 1.0    # loss weight of target tokens that differ from the source
    clip: float = 1.0
    max_tokens: int = 4000
    max_len: int = MAX_TOKENS   # longest sentence (tokens) trained on: as long as the checker sends
    real_share: float = 0.0
    real_noise: float = 0.0     # share of real pairs given generated errors too (keep_clean of them stay as written)
    keep_clean: float = 0.3     # share of synthetic pairs left unchanged: teaches leaving correct text alone
    sampled: Path = Path("")    # `noisy \t clean` lines from the noise model (edgemodel.train.backtranslate)
    sampled_share: float = 0.0  # share of the pairs that are not learner pairs drawn from `sampled`
    reverse: bool = False       # train the noise model (clean -> noisy) instead of the corrector
    seed: int = 0
    threads: int = 1
    hours: float = 0.0          # stop after this much wall time (0: no limit)
    max_steps: int = 0          # stop after this many steps (0: no limit)
    cooldown: int = 0           # over the last this many steps before max_steps, the lr falls linearly to 0
    ckpt_minutes: float = 10.0
    snapshots: int = 0          # keep half copies of the last N checkpoints (RUN/snapshots/STEP.pt) to average
    eval_minutes: float = 60.0
    eval_limit: int = 200
    log_every: int = 20
    # matrix products in bfloat16 (autocast; the weights and the optimizer stay in float32): steps
    # 1.6x faster on a CPU with AVX512-BF16, such as this machine's (8-layer model, 2,000 tokens)
    bf16: bool = False


def lr_at(step: int, cfg: TrainConfig) -> float:
    """Linear warm-up, then inverse square root: no horizon to fix in advance for an open-ended run.
    A run that is to end (max_steps) may anneal: a final linear fall to 0 settles the weights."""
    step = max(step, 1)
    cool = min(1.0, (cfg.max_steps - step + 1) / cfg.cooldown) if cfg.cooldown and cfg.max_steps else 1.0
    return cfg.lr * min(step / cfg.warmup, math.sqrt(cfg.warmup / step)) * cool


def save_checkpoint(path: Path, model, opt, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "opt": opt.state_dict() if opt else None, **state}, tmp)
    os.replace(tmp, path)


def load_model(path: Path) -> tuple[Seq2Seq, dict]:
    """A model from a full or half-precision checkpoint (for export and evaluation)."""
    ckpt = torch.load(path, map_location="cpu", weights_only=False)
    model = Seq2Seq(ModelConfig(**ckpt["model_config"]))
    model.load_state_dict({k: v.float() for k, v in ckpt["model"].items()})
    return model.eval(), ckpt


def save_half(src: Path, dst: Path) -> None:
    """The small resumable checkpoint to commit: fp16 weights and progress, no optimizer moments
    (a resume from it re-warms AdamW briefly)."""
    ckpt = torch.load(src, map_location="cpu", weights_only=False)
    keep = {k: ckpt[k] for k in ("model_config", "train_config", "step", "tokens", "hours", "data") if k in ckpt}
    keep["cpu_hours"] = ckpt.get("cpu_hours", 0.0)
    keep["data"] = {**keep["data"], "pending": []}
    torch.save({"model": {k: v.half() for k, v in ckpt["model"].items()}, "opt": None, **keep}, dst)


def keep_snapshot(last: Path, folder: Path, step: int, keep: int) -> None:
    """A half copy of `last` as folder/STEP.pt, the oldest dropped beyond `keep`: the mean of a run's
    last few checkpoints is a smoother model than its last one (edgemodel.train.average)."""
    folder.mkdir(exist_ok=True)
    save_half(last, folder / f"{step}.pt")
    for old in sorted(folder.glob("*.pt"), key=lambda p: int(p.stem))[:-keep]:
        old.unlink()


def load_grown(model: Seq2Seq, state: dict, encoder_layers: int) -> int:
    """Load weights into `model`, which may have more encoder layers than `state` held; returns how
    many it added. New layers go on top and start as the identity (attention and FFN outputs zeroed,
    the residual passes through): a plateaued model gains depth without losing what it learned."""
    grown = len(model.encoder) - encoder_layers
    if grown < 0 or (grown and model.cfg.shared_encoder):
        raise ValueError(f"cannot grow {encoder_layers} encoder layers into this model's {len(model.encoder)}")
    try:
        missing, unexpected = model.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)
    except RuntimeError as e:   # a tensor of another shape
        raise ValueError(f"checkpoint does not fit the model: {e}") from None
    new_layers = tuple(f"encoder.{i}." for i in range(encoder_layers, len(model.encoder)))
    if unexpected or not all(k.startswith(new_layers) for k in missing):
        raise ValueError(f"checkpoint does not fit the model: missing {missing}, unexpected {unexpected}")
    with torch.no_grad():
        for layer in model.encoder[encoder_layers:]:
            for out in (layer.attn.o, layer.ffn.down):
                out.weight.zero_()
                out.bias.zero_()
    return grown


def make_corrupt(data_dir: Path, seed: int, keep_clean: float, learner_pairs):
    from edgemodel.train.noise import ErrorGenerator
    return ErrorGenerator(data_dir / "lexical", seed=seed, keep_clean=keep_clean, learner_pairs=learner_pairs).corrupt


def batch_loss(model, src: torch.Tensor, tgt: torch.Tensor, weights: torch.Tensor, cfg: TrainConfig) -> torch.Tensor:
    """The loss a training step minimises on a batch (tgt = BOS ... EOS); with `cfg.bf16` the forward
    pass's matrix products run in bfloat16."""
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
        logits = model(src, tgt[:, :-1])
    return weighted_loss(logits.float(), tgt[:, 1:], cfg.model.pad_id, cfg.label_smoothing, weights)


def train(cfg: TrainConfig, corrupt=None, real=None, clean=None, evaluate_fn=None) -> dict:
    """Run (or resume) training; returns the final progress record."""
    torch.set_num_threads(cfg.threads)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    distributed = world > 1
    rank = 0
    if distributed:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
        rank = dist.get_rank()
    main_proc = rank == 0
    torch.manual_seed(cfg.seed)

    tok = Tokenizer(cfg.tokenizer)
    cfg.model.vocab_size = tok.vocab_size
    if real is None:
        real = real_pairs(cfg.data) if cfg.real_share > 0 else []
    # the learner pairs also teach the error generator real slips (none without them: their licence)
    corrupt = corrupt or make_corrupt(cfg.data, cfg.seed, cfg.keep_clean, real)
    clean = clean or [(cfg.data / "clean" / "wiki.train.txt.xz", 0.85), (cfg.data / "clean" / "brown.train.txt.xz", 0.15)]
    sampled = read_pairs(cfg.sampled) if cfg.sampled_share > 0 else []
    batcher = Batcher(DataConfig(clean=clean, real=real, real_share=cfg.real_share, real_noise=cfg.real_noise,
                                 sampled=sampled, sampled_share=cfg.sampled_share, reverse=cfg.reverse,
                                 max_tokens=cfg.max_tokens, max_len=cfg.max_len, seed=cfg.seed + 1000 * rank,
                                 shard=rank, shards=world),
                      tok.encode, corrupt, tok.bos_id, tok.eos_id, tok.pad_id)

    model = Seq2Seq(cfg.model)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=cfg.lr, betas=(0.9, 0.98), eps=1e-8)
    progress = {"step": 0, "tokens": 0, "hours": 0.0, "cpu_hours": 0.0}
    cfg.run_dir.mkdir(parents=True, exist_ok=True)
    last = cfg.run_dir / "last.pt"
    resume = last if last.exists() else (cfg.init if cfg.init.is_file() else None)
    restart_step = None  # set when AdamW starts afresh on trained weights: re-warm the learning rate
    if resume:
        ckpt = torch.load(resume, map_location="cpu", weights_only=False)
        grown = load_grown(model, ckpt["model"], ckpt["model_config"]["encoder_layers"])
        progress = {k: ckpt.get(k, 0.0) for k in progress}
        shards = ckpt.get("data_shards") or [ckpt["data"]]   # one state per process that wrote it
        if len(shards) == world:
            batcher.load_state(shards[rank])
        else:
            batcher.resume_at(shards[0]["consumed"])
        if ckpt["opt"] is not None and not grown:
            opt.load_state_dict(ckpt["opt"])
        else:
            restart_step = progress["step"]
        if "torch_rng" in ckpt:
            torch.set_rng_state(ckpt["torch_rng"])
        if main_proc:
            print(f"resumed from {resume} at step {progress['step']}", file=sys.stderr)
    ddp = torch.nn.parallel.DistributedDataParallel(model) if distributed else model

    def checkpoint():
        state = batcher.state()
        shards = [state]
        if distributed:
            shards = [None] * world
            dist.all_gather_object(shards, state)
        if main_proc:
            save_checkpoint(last, model, opt, {**progress, "model_config": asdict(cfg.model),
                                               "train_config": {k: str(v) for k, v in asdict(cfg).items()},
                                               "data": shards[0], "torch_rng": torch.get_rng_state(),
                                               **({"data_shards": shards} if distributed else {})})
            if cfg.snapshots:
                keep_snapshot(last, cfg.run_dir / "snapshots", progress["step"], cfg.snapshots)

    start = time.time()
    hours_before, cpu_hours_before = progress["hours"], progress["cpu_hours"]
    last_ckpt = last_eval = last_log = time.time()
    tokens_since, loss_sum, loss_n = 0, 0.0, 0
    model.train()
    while True:
        step = progress["step"] + 1
        lr = lr_at(step, cfg) * (min(1.0, (step - restart_step) / cfg.warmup) if restart_step is not None else 1.0)
        for g in opt.param_groups:
            g["lr"] = lr
        src, tgt = batcher.next()
        weights = edit_weights(src, tgt[:, 1:], cfg.edit_weight, cfg.model.pad_id)
        loss = batch_loss(ddp, src, tgt, weights, cfg)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
        opt.step()
        n_tok = int((src != cfg.model.pad_id).sum() + (tgt != cfg.model.pad_id).sum())
        progress["step"] = step
        progress["tokens"] += n_tok * world
        progress["hours"] = hours_before + (time.time() - start) / 3600
        progress["cpu_hours"] = cpu_hours_before + (time.time() - start) / 3600 * cfg.threads * world
        tokens_since += n_tok
        loss_sum += loss.item()
        loss_n += 1
        now = time.time()
        if step % cfg.log_every == 0:
            _trim_heap()
        if main_proc and step % cfg.log_every == 0:
            tok_s = tokens_since * world / (now - last_log)
            line = (f"step {step} | loss {loss_sum / loss_n:.3f} | lr {lr:.2e} | "
                    f"{tok_s:.0f} tok/s | {progress['tokens'] / 1e6:.2f}M tokens | "
                    f"{progress['hours']:.2f} h")
            # On a terminal the line redraws in place (a progress bar); in a log file each is kept.
            print(("\r" + line + " " * 8) if sys.stdout.isatty() else line, end="" if sys.stdout.isatty() else "\n",
                  flush=True)
            with open(cfg.run_dir / "log.jsonl", "a") as f:
                f.write(json.dumps({**progress, "loss": loss_sum / loss_n, "lr": lr, "tok_s": tok_s}) + "\n")
            tokens_since, loss_sum, loss_n, last_log = 0, 0.0, 0, now
        done = bool(cfg.max_steps and step >= cfg.max_steps) or bool(cfg.hours and now - start >= cfg.hours * 3600)
        save = done or now - last_ckpt >= cfg.ckpt_minutes * 60
        if distributed:   # clocks differ: the first process decides for all, or one would wait forever
            flags = torch.tensor([done, save])
            dist.broadcast(flags, 0)
            done, save = bool(flags[0]), bool(flags[1])
        if save:
            checkpoint()
            last_ckpt = now
        if main_proc and evaluate_fn and (done or now - last_eval >= cfg.eval_minutes * 60):
            scores = evaluate_fn(model, tok, cfg.eval_limit)
            model.train()
            with open(cfg.run_dir / "history.jsonl", "a") as f:
                f.write(json.dumps({**progress, "scores": scores}) + "\n")
            last_eval = time.time()
        if done:
            break
    if distributed:
        dist.destroy_process_group()
    return progress


def _trim_heap() -> None:
    """Give the heap's free pages back to the system (glibc): batches of varying shapes fragment it,
    and the heap scripts/train.sh keeps (for fewer page faults) would otherwise grow ~60 MB/min."""
    if _GLIBC is not None:
        _GLIBC.malloc_trim(0)


try:
    _GLIBC = ctypes.CDLL("libc.so.6")
    _GLIBC.malloc_trim   # glibc has it; another C library of that name may not
except (OSError, AttributeError):
    _GLIBC = None


@torch.no_grad()
def correction_loss(model: Seq2Seq, tok: Tokenizer, pairs: list[tuple[str, str]]) -> float:
    """Mean cross-entropy (nats a token, no label smoothing) of writing each pair's correction."""
    model.eval()
    total = count = 0.0
    for src, tgt in pairs:
        ids = tok.encode(tgt)[:MAX_TOKENS]
        logits = model(torch.tensor([tok.encode(src)[:MAX_TOKENS]]), torch.tensor([[tok.bos_id] + ids]))
        total += torch.nn.functional.cross_entropy(logits[0], torch.tensor(ids + [tok.eos_id]), reduction="sum").item()
        count += len(ids) + 1
    return total / count


LOSS_PAIRS = 300   # learner sentences with a correction, of the training pairs and of BEA dev


def learner_loss_pairs(data_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """The same corrected learner sentences each time: some trained on, some never seen."""
    dev = [(detokenize(s), detokenize(t)) for s, t, _ in m2_pairs(data_dir / "gec" / "wi_locness" / "ABCN.dev.gold.bea19.m2")]
    rng = random.Random(0)
    return {name: rng.sample([p for p in pairs if p[0] != p[1]], LOSS_PAIRS)
            for name, pairs in (("learner_train", real_pairs(data_dir)), ("bea_dev", dev))}


def dev_evaluator(data_dir: Path):
    """Periodic evaluation on a slice of the dev sets with the torch model's greedy decoding, and the
    loss on learner sentences trained on and never seen: the learner pairs come round dozens of
    times, and a widening gap says they are being learned by heart (at step 84600, with dropout 0
    and no errors added to them: 0.21 against 0.83 nats a token)."""
    from edgemodel.evaluate import correct_fn_from_model, evaluate
    pairs = learner_loss_pairs(data_dir)

    def evaluate_fn(model, tok, limit):
        scores = evaluate(correct_fn_from_model(model, tok), data_dir, limit=limit)
        return {**scores, "loss": {name: round(correction_loss(model, tok, p), 4) for name, p in pairs.items()}}
    return evaluate_fn


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    d = TrainConfig()

    def kind(value):   # bool("false") is True: flags take yes/no
        return (lambda s: s.lower() in {"1", "true", "yes"}) if isinstance(value, bool) else type(value)
    for name, value in asdict(d).items():
        if name != "model":
            ap.add_argument("--" + name.replace("_", "-"), type=kind(value), default=value)
    for name, value in asdict(d.model).items():
        if name not in {"vocab_size", "pad_id", "bos_id", "eos_id"}:
            ap.add_argument("--model-" + name.replace("_", "-"), type=kind(value), default=value)
    ap.add_argument("--no-eval", action="store_true")
    ap.add_argument("--half", type=Path, help="only write a half-precision copy of RUN/last.pt to this path")
    args = vars(ap.parse_args(argv))
    half = args.pop("half")
    if half is not None:
        save_half(Path(args["run_dir"]) / "last.pt", half)
        return
    no_eval = args.pop("no_eval")
    model = ModelConfig(**{k[len("model_"):]: args.pop(k) for k in list(args) if k.startswith("model_")})
    cfg = TrainConfig(model=model, **args)
    if cfg.cooldown and not cfg.max_steps:
        ap.error("--cooldown needs --max-steps: the step the learning rate reaches 0")
    # the noise model writes errors: the dev sets' corrections say nothing of it
    train(cfg, evaluate_fn=None if no_eval or cfg.reverse else dev_evaluator(cfg.data))


if __name__ == "__main__":
    main()
