"""Training pipeline on a tiny model: loss falls, resume is bit-exact, DDP runs, export matches torch."""
import json
import lzma
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("onnx")

from conftest import ASSETS, FIXTURES, fixture_sentences  # noqa: E402

from edgemodel import decoding  # noqa: E402
from edgemodel.model import ModelConfig, Seq2Seq  # noqa: E402
from edgemodel.train.noise import ErrorGenerator, NoiseTables  # noqa: E402
from edgemodel.train.train import TrainConfig, load_grown, load_model, lr_at, train  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TINY = dict(d_model=32, n_heads=2, d_ff=64, encoder_layers=2, decoder_layers=1, decoder_ff=32, dropout=0.1)


def tiny_config(run: Path, **kw) -> TrainConfig:
    return TrainConfig(run_dir=run, tokenizer=ASSETS / "spm.model", model=ModelConfig(**TINY), lr=3e-3, warmup=5,
                       max_tokens=600, threads=1, log_every=5, ckpt_minutes=1e9, **kw)


def train_on_fixture(cfg: TrainConfig) -> dict:
    """Train on the fixture sentences with the default error generator."""
    corrupt = ErrorGenerator.from_tables(NoiseTables(), seed=0).corrupt
    return train(cfg, corrupt=corrupt, real=[], clean=[(FIXTURES / "sentences.txt", 1.0)])


def run_tiny(run: Path, steps: int, bf16: bool = False) -> dict:
    return train_on_fixture(tiny_config(run, max_steps=steps, edit_weight=3.0, bf16=bf16))


def losses(run: Path) -> list[float]:
    return [json.loads(line)["loss"] for line in (run / "log.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("bf16", [False, True])
def test_tiny_model_learns(tmp_path, bf16):
    from edgemodel.tokenizer import Tokenizer
    from edgemodel.train.train import correction_loss
    run_tiny(tmp_path / "run", 60, bf16)
    curve = losses(tmp_path / "run")
    assert len(curve) == 12
    assert sum(curve[-3:]) / 3 < sum(curve[:3]) / 3 - 1.0, curve  # at least a nat lower
    # the loss the evaluation records on corrections (nats a token) falls too: copies are learned first
    tok, pairs = Tokenizer(ASSETS / "spm.model"), [(s, s) for s in fixture_sentences()[:20]]
    before = correction_loss(Seq2Seq(ModelConfig(**TINY)), tok, pairs)
    assert correction_loss(load_model(tmp_path / "run" / "last.pt")[0], tok, pairs) < before - 1.0


def test_edit_weights_mark_what_is_not_copied():
    from edgemodel.train.data import edit_weights
    pad, eos = 0, 3
    src = torch.tensor([[5, 6, 7, 8, pad], [5, 6, 7, 8, 9], [5, 6, 7, 8, 9]])
    tgt_out = torch.tensor([[5, 9, 7, 8, eos, pad],   # substitution: the new token
                            [5, 6, 8, 9, eos, pad],   # deletion of 7: the token after it
                            [5, 6, 7, 8, eos, pad]])  # dropped at the end: EOS carries it
    w = edit_weights(src, tgt_out, 3.0, pad)
    assert w.tolist() == [[1, 3, 1, 1, 1, 1], [1, 1, 3, 1, 1, 1], [1, 1, 1, 1, 3, 1]]
    assert torch.equal(edit_weights(src, tgt_out, 1.0, pad), torch.ones(3, 6))


def test_cooldown_anneals_the_learning_rate_to_zero_by_the_last_step():
    open_ended = TrainConfig(lr=1e-3, warmup=100, max_steps=5000)
    ending = TrainConfig(lr=1e-3, warmup=100, max_steps=5000, cooldown=1000)
    assert lr_at(4000, ending) == lr_at(4000, open_ended) > 0          # untouched before the cooldown
    assert lr_at(4500, ending) == pytest.approx(lr_at(4500, open_ended) * 501 / 1000)
    assert 0 < lr_at(5000, ending) < lr_at(5000, open_ended) / 500    # nearly 0 at the end


@pytest.mark.parametrize("bf16", [False, True])
def test_resume_is_bit_exact(tmp_path, bf16):
    run_tiny(tmp_path / "straight", 16, bf16)
    run_tiny(tmp_path / "split", 8, bf16)          # stops and checkpoints at step 8
    progress = run_tiny(tmp_path / "split", 16, bf16)  # resumes from last.pt
    assert progress["step"] == 16
    a = torch.load(tmp_path / "straight" / "last.pt", weights_only=False)
    b = torch.load(tmp_path / "split" / "last.pt", weights_only=False)
    assert a["tokens"] == b["tokens"]
    for k in a["model"]:
        assert torch.equal(a["model"][k], b["model"][k]), k
    assert losses(tmp_path / "straight")[-1] == losses(tmp_path / "split")[-1]


def test_half_checkpoint_is_small_and_resumable(tmp_path):
    from edgemodel.train.train import save_half
    run_tiny(tmp_path / "run", 4)
    save_half(tmp_path / "run" / "last.pt", tmp_path / "half.pt")
    half = torch.load(tmp_path / "half.pt", weights_only=False)
    assert half["opt"] is None and all(v.dtype == torch.float16 for v in half["model"].values() if v.is_floating_point())
    assert (tmp_path / "half.pt").stat().st_size < (tmp_path / "run" / "last.pt").stat().st_size / 2
    cfg = tiny_config(tmp_path / "resumed", max_steps=6)
    cfg.init = tmp_path / "half.pt"
    progress = train_on_fixture(cfg)
    assert progress["step"] == 6


def test_a_grown_encoder_starts_as_the_model_it_grew_from():
    torch.manual_seed(0)
    small = Seq2Seq(ModelConfig(**{**TINY, "dropout": 0.0})).eval()
    for p in small.parameters():   # trained-looking weights, not the zero biases of a fresh model
        torch.nn.init.normal_(p, std=0.1)
    deep = Seq2Seq(ModelConfig(**{**TINY, "dropout": 0.0, "encoder_layers": 4})).eval()
    assert load_grown(deep, small.state_dict(), encoder_layers=2) == 2
    src, tgt = torch.tensor([[5, 9, 7, 11]]), torch.tensor([[2, 5, 9]])
    assert torch.allclose(deep(src, tgt), small(src, tgt), atol=1e-6)
    assert any(p.abs().sum() > 0 for p in deep.encoder[3].parameters())   # new layers still have weights to learn
    with pytest.raises(ValueError):     # fewer layers than the checkpoint: refused, not truncated
        load_grown(small, deep.state_dict(), encoder_layers=4)
    with pytest.raises(ValueError):     # another width does not fit at all
        load_grown(deep, Seq2Seq(ModelConfig(**{**TINY, "d_model": 16, "d_ff": 32})).state_dict(), 2)


def test_averaged_checkpoints_hold_the_mean_weights_and_load(tmp_path):
    from edgemodel.train.average import average
    run_tiny(tmp_path / "a", 4)
    shutil.copy(tmp_path / "a" / "last.pt", tmp_path / "step4.pt")
    run_tiny(tmp_path / "a", 8)
    a, b = (torch.load(p, weights_only=False) for p in (tmp_path / "step4.pt", tmp_path / "a" / "last.pt"))
    averaged = average([tmp_path / "step4.pt", tmp_path / "a" / "last.pt"], tmp_path / "avg.pt")
    assert averaged["step"] == 8 and averaged["averaged_steps"] == [4, 8]
    model, _ = load_model(tmp_path / "avg.pt")
    for k, v in model.state_dict().items():
        assert torch.allclose(v, (a["model"][k] + b["model"][k]) / 2, atol=1e-3), k
    assert not torch.equal(a["model"]["embed.weight"], b["model"]["embed.weight"])   # there was something to average
    other = tiny_config(tmp_path / "b", max_steps=1)
    other.model.d_ff = 48
    train_on_fixture(other)
    from edgemodel.export import write_model
    card = write_model(tmp_path / "avg.pt", tmp_path / "exported", ASSETS / "spm.model", quantize=False)
    assert card["training"]["averaged_steps"] == [4, 8]   # the model card says what was shipped
    assert card["max_source_tokens"] == TrainConfig().max_len   # and how long a sentence it learned from
    with pytest.raises(ValueError):
        average([tmp_path / "step4.pt", tmp_path / "b" / "last.pt"], tmp_path / "bad.pt")
    torch.save({**a, "model_config": {**a["model_config"], "dropout": 0.3}}, tmp_path / "dropout.pt")
    averaged = average([tmp_path / "dropout.pt", tmp_path / "a" / "last.pt"], tmp_path / "avg2.pt")
    assert averaged["model_config"] == b["model_config"]   # dropout, a training setting, does not part them


def test_a_run_keeps_half_snapshots_of_its_last_checkpoints(tmp_path):
    from edgemodel.train.average import average
    cfg = tiny_config(tmp_path / "run", max_steps=5, snapshots=2)
    cfg.ckpt_minutes = 0    # a checkpoint after every step
    train_on_fixture(cfg)
    snapshots = sorted((tmp_path / "run" / "snapshots").iterdir())
    assert [p.name for p in snapshots] == ["4.pt", "5.pt"]     # older ones dropped
    last = torch.load(tmp_path / "run" / "last.pt", weights_only=False)
    five = torch.load(snapshots[1], weights_only=False)
    assert five["step"] == 5 and five["opt"] is None
    assert torch.equal(five["model"]["embed.weight"], last["model"]["embed.weight"].half())
    assert average(snapshots, tmp_path / "avg.pt")["averaged_steps"] == [4, 5]


def test_processes_share_the_clean_stream_without_overlap(tmp_path):
    from itertools import islice

    from edgemodel.train.data import clean_sentences
    src = tmp_path / "clean.txt"
    src.write_text("".join(f"sentence {i}\n" for i in range(50)))
    one = list(islice(clean_sentences([(src, 1.0)], 0), 40))
    first, second = (list(islice(clean_sentences([(src, 1.0)], shard, 2), 20)) for shard in (0, 1))
    assert first == one[0::2] and second == one[1::2]
    assert list(islice(clean_sentences([(src, 1.0)], 7, 2), 3)) == one[7:13:2]   # resumed mid-stream


def test_real_pairs_get_generated_errors_at_their_share_and_keep_their_correction(tmp_path):
    from edgemodel.train.data import Batcher, DataConfig
    real = [(f"Him go to school {i} .", f"He goes to school {i} .") for i in range(20)]
    corrupt = ErrorGenerator.from_tables(NoiseTables(), seed=0, keep_clean=0.0).corrupt

    def pairs(noise: float) -> list[tuple[str, str]]:
        cfg = DataConfig(clean=[(FIXTURES / "sentences.txt", 1.0)], real=real, real_share=1.0, real_noise=noise)
        batcher = Batcher(cfg, lambda s: [], corrupt, 2, 3, 0)
        return [batcher._pair() for _ in range(200)]
    assert all(p in real for p in pairs(0.0))
    noisy = pairs(0.5)
    assert all(tgt in dict(real).values() for _, tgt in noisy)   # the correction is never touched
    added = sum((src, tgt) not in real for src, tgt in noisy)
    assert 60 <= added <= 140, added


def test_learner_targets_keep_the_commas_their_corrections_only_delete(tmp_path):
    from edgemodel.train.corpus import real_pairs
    wi = tmp_path / "gec" / "wi_locness"
    wi.mkdir(parents=True)
    (wi / "A.train.gold.bea19.m2").write_text(
        "S I think , that he go home , then sleep .\n"
        "A 2 3|||U:PUNCT|||-NONE-|||REQUIRED|||-NONE-|||0\n"
        "A 5 6|||R:VERB:SVA|||goes|||REQUIRED|||-NONE-|||0\n"
        "A 7 9|||R:PUNCT|||. Then|||REQUIRED|||-NONE-|||0\n\n")
    for part in "BC":
        (wi / f"{part}.train.gold.bea19.m2").write_text("")
    (tmp_path / "gec" / "fce").mkdir()
    text = "Yesterday, I goed there, and it rain."
    edits = [[0, [[13, 17, "went", None], [23, 24, "", None], [32, 36, "rained", None]]]]
    (tmp_path / "gec" / "fce" / "fce.train.json").write_text(json.dumps({"text": text, "edits": edits}) + "\n")
    assert real_pairs(tmp_path) == [
        ("I think, that he go home, then sleep.", "I think, that he goes home. Then sleep."),
        ("Yesterday, I goed there, and it rain.", "Yesterday, I went there, and it rained."),
    ]


def test_ddp_with_two_cpu_processes(tmp_path):
    data = tmp_path / "data"
    (data / "clean").mkdir(parents=True)
    (data / "lexical").mkdir()
    text = "\n".join(fixture_sentences()) + "\n"
    for name in ("wiki.train.txt.xz", "brown.train.txt.xz"):
        with lzma.open(data / "clean" / name, "wt", encoding="utf-8") as f:
            f.write(text)
    args = ["--run-dir", str(tmp_path / "run"), "--data", str(data), "--tokenizer", str(ASSETS / "spm.model"),
            "--threads", "1", "--no-eval", "--max-tokens", "600", "--log-every", "2"]
    for k, v in TINY.items():
        args += ["--model-" + k.replace("_", "-"), str(v)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}

    def run(steps: int, procs: int) -> dict:
        launch = (["-m", "torch.distributed.run", "--nproc_per_node", str(procs), "--master_addr", "127.0.0.1",
                   "--master_port", "29533"] if procs > 1 else [])
        out = subprocess.run([sys.executable, *launch, "-m", "edgemodel.train.train", *args, "--max-steps", str(steps)],
                             capture_output=True, text=True, env=env, timeout=600, cwd=ROOT)
        assert out.returncode == 0, out.stderr[-3000:]
        return torch.load(tmp_path / "run" / "last.pt", weights_only=False)

    ckpt = run(4, procs=2)
    assert ckpt["step"] == 4
    # Each process's data state is kept; they read alternate clean sentences.
    first, second = ckpt["data_shards"]
    assert first == ckpt["data"] and first["consumed"] % 2 == 0 and second["consumed"] % 2 == 1
    assert first["rng"] != second["rng"]
    log = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    assert log[-1]["tokens"] > 0 and log[-1]["cpu_hours"] > 0
    # It resumes on two processes, and on one (from the first process's stream position).
    assert run(6, procs=2)["step"] == 6
    ckpt = run(7, procs=1)
    assert ckpt["step"] == 7 and "data_shards" not in ckpt


@pytest.mark.parametrize("quantize", [False, True])
def test_export_runs_in_the_engine_and_matches_torch(tmp_path, quantize):
    from edgemodel.export import export, file_digests
    from edgemodel.runtime import Model
    from edgemodel.tokenizer import Tokenizer
    run_tiny(tmp_path / "run", 10)
    model, ckpt = load_model(tmp_path / "run" / "last.pt")
    out = tmp_path / "model"
    export(model, out, quantize=quantize)
    shutil.copy(ASSETS / "spm.model", out / "spm.model")
    (out / "model.json").write_text(json.dumps({"config": ckpt["model_config"], "files": file_digests(out)}))
    engine, tok = Model(out), Tokenizer(out / "spm.model")
    agree = total = 0
    for s in fixture_sentences()[:12]:
        src = tok.encode(s)
        ours = decoding.greedy(engine, src)
        assert decoding.aggressive(engine, src).tokens == ours.tokens
        theirs = model.greedy(src)
        if not quantize:
            assert ours.tokens == theirs, s
        agree += sum(a == b for a, b in zip(ours.tokens, theirs))
        total += max(len(ours.tokens), len(theirs))
    assert agree / total > (0.999 if not quantize else 0.5)


def test_shared_encoder_with_lora_exports(tmp_path):
    from edgemodel.export import export, file_digests
    from edgemodel.runtime import Model
    cfg = ModelConfig(vocab_size=8000, **{**TINY, "encoder_layers": 3}, shared_encoder=True, lora_rank=4)
    model = Seq2Seq(cfg).eval()
    shared = sum(p.numel() for p in model.parameters())
    plain = Seq2Seq(ModelConfig(vocab_size=8000, **{**TINY, "encoder_layers": 3})).num_params()
    assert shared < plain
    out = tmp_path / "model"
    export(model, out, quantize=False)
    shutil.copy(ASSETS / "spm.model", out / "spm.model")
    (out / "model.json").write_text(json.dumps({"config": cfg.to_dict(), "files": file_digests(out)}))
    src = [100, 200, 300, 400]
    assert decoding.greedy(Model(out), src).tokens == model.greedy(src)


def test_release_ships_only_a_better_model():
    from edgemodel.train.release import beats
    old = {"jfleg": {"gleu": 40.0}, "bea": {"f0.5": 10.0}, "cweb": {"f0.5": 5.0}, "clean": {"false_alarm_rate": 2.0}}
    better = {**old, "bea": {"f0.5": 12.0}}
    # the last two arguments: % of all clean lines (dev and held-out) the candidate and the shipped model change
    assert beats(old, None, 2.0, 0.0) and beats(better, old, 1.5, 1.5) and beats(better, old, 1.55, 1.5)
    assert not beats(old, old, 1.5, 1.5) and not beats(better, old, 1.7, 1.5)
    # all the clean lines decide, not the 2,000 the rate reports; but no model ships above 3% of those
    assert beats({**better, "clean": {"false_alarm_rate": 2.2}}, old, 1.5, 1.5)
    # a higher sum the bootstrap is not sure of does not ship
    assert beats(better, old, 1.5, 1.5, p_better=0.95) and not beats(better, old, 1.5, 1.5, p_better=0.8)
    assert not beats({**old, "clean": {"false_alarm_rate": 3.5}}, None, 1.0, 0.0)


def bootstrap_scores(jfleg_stats, bea_counts, cweb_counts) -> dict:
    """An `evaluate(..., sentences=True)` result from per-sentence statistics alone."""
    from edgemodel import evaluate as ev
    m2 = lambda counts: {**ev.score_m2([], []), "f0.5": ev.prf(*map(sum, zip(*counts)))[2] * 100, "sentences": counts}
    return {"jfleg": {"gleu": ev.gleu_of_sentences(jfleg_stats)[0], "sentences": jfleg_stats},
            "bea": m2(bea_counts), "cweb": m2(cweb_counts), "clean": {"false_alarm_rate": 1.0}}


def test_bootstrap_is_sure_only_of_a_difference_on_many_sentences():
    import random
    from edgemodel import evaluate as ev
    from edgemodel.train.release import paired_bootstrap, quality
    rng = random.Random(0)
    src = [[f"w{rng.randrange(30)}" for _ in range(8)] for _ in range(60)]
    refs = [[s[:3] + ["fix"] + s[4:], s[:5] + ["mend"] + s[6:]] for s in src]   # two references each
    fixed = [r[rng.randrange(2)] for r in refs]
    jfleg = lambda hyps: ev.gleu_sentence_stats(src, refs, hyps)
    same = bootstrap_scores(jfleg(src), [[0, 0, 1]] * 60, [[0, 0, 1]] * 60)
    assert paired_bootstrap(same, same) == {"delta": 0.0, "low": 0.0, "high": 0.0, "p_better": 0.0}
    # better on every sentence: sure of it
    good = bootstrap_scores(jfleg(fixed), [[1, 0, 0]] * 60, [[1, 0, 0]] * 60)
    result = paired_bootstrap(good, same)
    assert result["p_better"] == 1.0 and 0 < result["low"] <= result["delta"] == round(quality(good) - quality(same), 2)
    # one right edit more on one sentence of 60 and the same output elsewhere: a higher sum, but not sure
    lucky = bootstrap_scores(jfleg(src), [[1, 0, 0]] + [[0, 0, 1]] * 59, [[0, 0, 1]] * 60)
    result = paired_bootstrap(lucky, same)
    assert result["delta"] > 0 and result["low"] == 0.0 and 0.5 < result["p_better"] < 0.9


def test_bootstrap_scores_as_the_evaluation_does():
    import numpy as np
    from edgemodel import evaluate as ev
    from edgemodel.train.release import _f05, _gleu
    rng = np.random.default_rng(1)
    for _ in range(20):
        counts = rng.integers(0, 5, 3)
        assert _f05(counts[None].astype(float))[0] == pytest.approx(100 * ev.prf(*map(int, counts))[2], abs=0.01)
        stats = rng.integers(0, 9, 10).astype(float)
        stats[3::2] = np.maximum(stats[3::2], stats[2::2])   # n-grams matched <= n-grams in the hypothesis
        assert _gleu(stats[None])[0] == pytest.approx(100 * ev.gleu_from_stats(list(stats)))


def test_calibration_sentences_are_neither_trained_on_nor_scored(tmp_path):
    from edgemodel.evaluate import clean_dev
    from edgemodel.train.release import held_out_clean
    (tmp_path / "clean").mkdir()
    for name, lines in (("wiki", 10), ("brown", 6)):
        (tmp_path / "clean" / f"{name}.dev.txt").write_text("".join(f"{name} sentence {i}.\n\n" for i in range(lines)))
    held = held_out_clean(tmp_path, skip=3)
    scored = clean_dev(tmp_path, "wiki")[:3] + clean_dev(tmp_path, "brown")[:3]   # eval_clean at limit 3
    assert [len(s) for s in held.values()] == [7, 3] and not set(held["wiki"] + held["brown"]) & set(scored)
    assert held["brown"][-1] == "Brown sentence 5."   # as the rate reads it


def test_held_out_share_weighs_each_file_as_the_false_alarm_rate_does():
    from edgemodel import Checker
    from edgemodel.train.release import changed_share
    held = {"wiki": ["It is a fine day."] * 3, "brown": ["He go to school yesterday."]}
    assert changed_share(Checker(), held) == 0.5   # not 1 in 4


def test_calibration_picks_the_most_lenient_power_within_the_shipped_false_alarms():
    from edgemodel import Checker
    from edgemodel.train.release import POWERS, calibrate, changed_share
    sentences = {"fixture": fixture_sentences()}
    candidate, shipped = Checker(), Checker()
    for shipped_power in (1.0, 1.5):   # the same model, shipped as it is and shipped stricter
        shipped.confidence_power = shipped_power
        power = calibrate(candidate, shipped, sentences)
        budget = changed_share(shipped, sentences)
        assert power <= shipped_power   # the same model is at least as lenient as its shipped self
        candidate.confidence_power = power
        assert changed_share(candidate, sentences) <= budget
        if power != POWERS[0]:   # one step more lenient would flag more
            candidate.confidence_power = POWERS[POWERS.index(power) - 1]
            assert changed_share(candidate, sentences) > budget


def test_shipped_graphs_store_weights_once_aligned_for_mapping():
    import onnx
    card = json.loads((ASSETS / "model.json").read_text())
    d, vocab = card["config"]["d_model"], card["config"]["vocab_size"]
    for name in ("encoder", "decoder"):
        graph = onnx.load(ASSETS / f"{name}.onnx", load_external_data=False).graph
        for t in graph.initializer:
            ext = {e.key: e.value for e in t.external_data}
            offsets = [int(ext["offset"])] if ext else []
            offsets += [int(v.split("|")[1].split(";")[0]) for k, v in ext.items() if k.startswith("prepacked")]
            assert all(o % (64 * 1024) == 0 for o in offsets), (name, t.name, offsets)
        # The tied embedding / output projection is one int8 table, stored once per graph.
        tables = [t for t in graph.initializer if sorted(t.dims) == sorted([d, vocab])]
        assert len(tables) == 1 and tables[0].data_type == onnx.TensorProto.INT8, [(t.name, t.dims) for t in tables]


def test_noise_model_pairs_are_turned_round_and_only_learner_pairs_are_tagged():
    from edgemodel.train.data import LEARNER_TAG, Batcher, DataConfig
    real = [("Him go to school.", "He goes to school.")]
    corrupt = ErrorGenerator.from_tables(NoiseTables(), seed=0, keep_clean=0.0).corrupt
    cfg = DataConfig(clean=[(FIXTURES / "sentences.txt", 1.0)], real=real, real_share=0.5, real_noise=0.5, reverse=True)
    batcher = Batcher(cfg, lambda s: [], corrupt, 2, 3, 0)
    pairs = [batcher._pair() for _ in range(200)]
    learner = [p for p in pairs if p[0].startswith(LEARNER_TAG)]
    assert 60 <= len(learner) <= 140
    assert set(learner) == {(LEARNER_TAG + "He goes to school.", "Him go to school.")}   # no errors added on top
    generated = [p for p in pairs if p not in learner]
    assert {src for src, _ in generated} <= set(fixture_sentences())   # the clean side is the source
    assert sum(src != tgt for src, tgt in generated) > 0.8 * len(generated)


def test_sampled_pairs_are_drawn_at_their_share_of_the_non_learner_pairs(tmp_path):
    from edgemodel.train.corpus import read_pairs
    from edgemodel.train.data import Batcher, DataConfig
    path = tmp_path / "sampled.tsv"
    path.write_text("".join(f"Macau are a city {i}.\tMacau is a city {i}.\n" for i in range(30)) + "a line without a tab\n")
    sampled = read_pairs(path)
    assert len(sampled) == 30 and sampled[0] == ("Macau are a city 0.", "Macau is a city 0.")
    real = [("Him go to school.", "He goes to school.")]
    corrupt = ErrorGenerator.from_tables(NoiseTables(), seed=0).corrupt
    cfg = DataConfig(clean=[(FIXTURES / "sentences.txt", 1.0)], real=real, real_share=0.5,
                     sampled=sampled, sampled_share=0.5)
    batcher = Batcher(cfg, lambda s: [], corrupt, 2, 3, 0)
    pairs = [batcher._pair() for _ in range(400)]
    learner, from_sampled = (sum(p in group for p in pairs) for group in (real, sampled))
    assert 160 <= learner <= 240 and 60 <= from_sampled <= 140   # a half of the pairs, then a half of the rest


def test_sampling_keeps_to_the_nucleus_and_is_greedy_at_top_p_zero():
    from edgemodel.train.backtranslate import SamplingOptions, sample
    from edgemodel.tokenizer import Tokenizer
    torch.manual_seed(0)
    model, _ = load_model(ROOT / "checkpoints" / "latest-half.pt")   # a trained model: its outputs end
    tok = Tokenizer(ASSETS / "spm.model")
    srcs = [tok.encode(s) for s in fixture_sentences()[:6]]   # different lengths: padded in the batch
    longest = max(map(len, srcs))
    for out, src in zip(sample(model, srcs, SamplingOptions(top_p=0.0)), srcs):
        alone = model.greedy(src, max_len=longest + 20)
        assert out == alone if out is not None else len(alone) == longest + 20
    hot = sample(model, srcs, SamplingOptions(temperature=5.0, top_p=1.0))
    greedy = sample(model, srcs, SamplingOptions(top_p=0.0))
    assert hot != greedy


def test_only_samples_that_changed_but_kept_the_sentence_are_used():
    from edgemodel.spelling import Lexicon
    from edgemodel.train.backtranslate import usable
    lexicon = Lexicon(ASSETS / "lexicon.npz")
    clean = "Palladium is also a versatile metal for homogeneous catalysis."
    assert usable("Palladium is also an versatile metal at homogenous catalysis.", clean, lexicon)
    assert not usable(clean, clean, lexicon)
    assert not usable("Palladium is also a versatile metalonai participategeneous catalysis.", clean, lexicon)
    assert not usable("Palladium is the best.", clean, lexicon)
    assert not usable("Palladium is also a versatile metal for homogeneous cooking.", clean, lexicon)  # meaning lost
    assert not usable("@@ Palladium is also a versatile metal for homogeneous catalysis", clean, lexicon)


def test_punctuation_only_samples_are_told_apart():
    from edgemodel.train.backtranslate import punctuation_only
    clean = "Palladium is also a versatile metal for homogeneous catalysis."
    assert punctuation_only("Palladium is also a versatile metal , for homogeneous catalysis", clean)
    assert not punctuation_only("Palladium is also an versatile metal for homogeneous catalysis.", clean)
    assert not punctuation_only("Palladium is also versatile metal for homogeneous catalysis.", clean)


def test_another_seed_picks_other_clean_sentences_and_done_ones_are_skipped(tmp_path):
    from itertools import islice
    from edgemodel.train.backtranslate import clean_source
    (tmp_path / "clean").mkdir()
    for name in ("wiki.train.txt.xz", "brown.train.txt.xz"):   # all different, none seen twice below
        with lzma.open(tmp_path / "clean" / name, "wt", encoding="utf-8") as f:
            f.writelines(f"{s} ({name} {i})\n" for i in range(5) for s in fixture_sentences())

    def first(seed: int, done=frozenset()) -> list[str]:
        return list(islice(clean_source(tmp_path, seed, 0, 2, done), 12))
    assert first(0) == first(0) and first(0) != first(1)
    done = set(first(0)[:6])
    later = first(0, done)
    assert not done & set(later) and later[:6] == [s for s in first(0) if s not in done][:6]
