"""Export a trained Seq2Seq to the run-time format: two ONNX graphs written by hand, int8 weights.

    python -m edgemodel.export --checkpoint runs/main/last.pt --out assets

Why by hand rather than torch.onnx: every weight is written exactly once (tied embedding,
shared FFN and shared encoder weights included), quantized exactly once (per output channel,
7-bit so AVX2's u8*s8 multiply-adds cannot saturate), and node names stay short.

- encoder.onnx: tokens [1, S] -> cross_k, cross_v [L, 1, H, S, dh] (the decoder's cross-attention
  keys/values, computed once per sentence).
- decoder.onnx: tokens [1, T] (T >= 1: one greedy step or a whole draft), past_k/past_v
  [L, 1, H, P, dh], cross_k/cross_v -> next [1, T] (argmax token after each position), logprob
  [1, T] (its log-probability), present_k/present_v [L, 1, H, P+T, dh].

Each graph is then optimized offline by ONNX Runtime and saved with its weights (and their
prepacked forms) in an external file, aligned for memory mapping; run time loads it with
optimizations off, so weights stay file-backed and lazily paged in.
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from edgemodel.checker import DEFAULT_SOURCE_TOKENS

OPSET = 17
ALIGN = 64 * 1024  # Windows maps file views only at multiples of 64 KiB


class Graph:
    """A tiny ONNX graph builder: initializers stored once per source tensor, short names."""

    def __init__(self, quantize: bool, per_row: bool = False):
        self.quantize, self.per_row = quantize, per_row
        self.nodes, self.inits, self._seen, self._n = [], [], {}, 0

    def name(self, prefix="t"):
        self._n += 1
        return f"{prefix}{self._n}"

    def const(self, array, key=None) -> str:
        """An initializer; `key` (e.g. the torch parameter's identity) dedupes shared weights."""
        if key is not None and key in self._seen:
            return self._seen[key]
        name = self.name("w")
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        if key is not None:
            self._seen[key] = name
        return name

    def op(self, op_type, inputs, n_out=1, **attrs):
        outs = [self.name() for _ in range(n_out)]
        self.nodes.append(helper.make_node(op_type, inputs, outs, name=self.name("n"), **attrs))
        return outs[0] if n_out == 1 else outs

    def quantized(self, key, weight_in_out: np.ndarray):
        """(int8 weight [in, out], fp32 scale [out]) stored once per key: symmetric, per column."""
        if key + ":q" not in self._seen:
            scale = np.maximum(np.abs(weight_in_out).max(axis=0), 1e-8) / 63.0
            q = np.clip(np.round(weight_in_out / scale), -63, 63).astype(np.int8)
            self._seen[key + ":q"] = (self.const(q), self.const(scale.astype(np.float32)),
                                      self.const(np.zeros(q.shape[1], np.int8)))
        return self._seen[key + ":q"]

    def matmul(self, x, key, weight_in_out: np.ndarray):
        """x @ W; dynamic int8 quantization of x, in the pattern ORT fuses into DynamicQuantizeMatMul."""
        if not self.quantize:
            return self.op("MatMul", [x, self.const(weight_in_out.astype(np.float32), key)])
        wq, ws, wz = self.quantized(key, weight_in_out)
        if self.per_row:
            return self.matmul_per_row(x, wq, ws, wz)
        xq, xs, xz = self.op("DynamicQuantizeLinear", [x], n_out=3)
        y = self.op("Cast", [self.op("MatMulInteger", [xq, wq, xz, wz])], to=TensorProto.FLOAT)
        return self.op("Mul", [y, self.op("Mul", [xs, ws])])

    def matmul_per_row(self, x, wq, ws, wz):
        """Each row (token) quantized with its own symmetric scale, so a token's result does not
        depend on which other tokens share the pass: a draft verified in one pass gets exactly the
        numbers single greedy steps get (DynamicQuantizeLinear's one scale per tensor would not)."""
        absmax = self.op("ReduceMax", [self.op("Abs", [x])], axes=[-1], keepdims=1)
        xs = self.op("Div", [self.op("Max", [absmax, self.const(np.array(1e-8, np.float32), "tiny")]),
                             self.const(np.array(127, np.float32), "q127")])
        xq = self.op("Cast", [self.op("Add", [self.op("Round", [self.op("Div", [x, xs])]),
                                              self.const(np.array(128, np.float32), "q128")])], to=TensorProto.UINT8)
        y = self.op("MatMulInteger", [xq, wq, self.const(np.array(128, np.uint8), "zp128"), wz])
        return self.op("Mul", [self.op("Mul", [self.op("Cast", [y], to=TensorProto.FLOAT), xs]), ws])


class Exporter:
    def __init__(self, model, quantize: bool = True):
        self.m, self.cfg = model, model.cfg
        self.sd = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
        # Parameters shared between modules appear under several names: key them by storage.
        self.key = {k: f"p{v.untyped_storage().data_ptr()}" for k, v in model.state_dict().items()}
        self.quantize = quantize
        self.d, self.h = self.cfg.d_model, self.cfg.n_heads
        self.dh = self.d // self.h

    # --- building blocks -------------------------------------------------------------------
    def linear(self, g: Graph, x, prefix):
        """nn.Linear (or LoRALinear over a shared weight) at `prefix`."""
        if prefix + ".shared.weight" in self.sd:
            wname = prefix + ".shared.weight"
            y = g.matmul(x, self.key[wname], self.sd[wname].T)
            lora = g.op("MatMul", [g.op("MatMul", [x, g.const(self.sd[prefix + ".lora_a"])]),
                                   g.const(self.sd[prefix + ".lora_b"])])
            return g.op("Add", [g.op("Add", [y, lora]), g.const(self.sd[prefix + ".bias"], self.key[prefix + ".bias"])])
        y = g.matmul(x, self.key[prefix + ".weight"], self.sd[prefix + ".weight"].T)
        return g.op("Add", [y, g.const(self.sd[prefix + ".bias"], self.key[prefix + ".bias"])])

    def layernorm(self, g, x, prefix):
        return g.op("LayerNormalization", [x, g.const(self.sd[prefix + ".weight"], self.key[prefix + ".weight"]),
                                           g.const(self.sd[prefix + ".bias"], self.key[prefix + ".bias"])],
                    axis=-1, epsilon=1e-5)

    def heads(self, g, x):  # [1, T, D] -> [1, H, T, dh]
        r = g.op("Reshape", [x, g.const(np.array([0, 0, self.h, self.dh], np.int64), "shape_heads")])
        return g.op("Transpose", [r], perm=[0, 2, 1, 3])

    def attend(self, g, q, k, v, mask=None):
        q = g.op("Mul", [q, g.const(np.array(1 / math.sqrt(self.dh), np.float32), "attn_scale")])
        s = g.op("MatMul", [q, g.op("Transpose", [k], perm=[0, 1, 3, 2])])
        if mask is not None:
            s = g.op("Add", [s, mask])
        y = g.op("MatMul", [g.op("Softmax", [s], axis=-1), v])
        y = g.op("Transpose", [y], perm=[0, 2, 1, 3])
        return g.op("Reshape", [y, g.const(np.array([0, 0, self.d], np.int64), "shape_model")])

    def attend_rows(self, g, q, k, v, mask, length):
        """Attention whose result for a query row never depends on the other rows: one zero query
        row is appended (so no kernel sees a single row, which takes a different code path) and the
        caller pads keys to a width fixed per sentence. A draft verified in one pass then gets
        bit-for-bit the numbers that single greedy steps get."""
        zero_row = g.const(np.zeros((1, self.h, 1, self.dh), np.float32), "zero_row")
        q = g.op("Mul", [g.op("Concat", [q, zero_row], axis=2),
                         g.const(np.array(1 / math.sqrt(self.dh), np.float32), "attn_scale")])
        s = g.op("Add", [g.op("MatMul", [q, g.op("Transpose", [k], perm=[0, 1, 3, 2])]), mask])
        y = g.op("MatMul", [g.op("Softmax", [s], axis=-1), v])
        y = g.op("Slice", [y, g.const(np.array([0], np.int64), "zero1"), length, g.const(np.array([2], np.int64), "axis2")])
        y = g.op("Transpose", [y], perm=[0, 2, 1, 3])
        return g.op("Reshape", [y, g.const(np.array([0, 0, self.d], np.int64), "shape_model")])

    def ffn(self, g, x, prefix):
        hidden = g.op("Gelu", [self.linear(g, x, prefix + ".up")], domain="com.microsoft")
        return self.linear(g, hidden, prefix + ".down")

    def embed(self, g, tokens, start):
        """Token embedding * sqrt(d) + sinusoid of positions start.. (the table stored once, shared
        with the output projection as its transposed int8 form)."""
        emb_t = self.sd["embed.weight"].T  # [D, V]
        if self.quantize:
            wq, ws, _ = g.quantized("embed", emb_t)
            rows = g.op("Cast", [g.op("Gather", [wq, tokens], axis=1)], to=TensorProto.FLOAT)  # [D, 1, T]
            rows = g.op("Transpose", [rows], perm=[1, 2, 0])
            scale = g.op("Unsqueeze", [g.op("Gather", [ws, tokens]), g.const(np.array([-1], np.int64), "axis_last")])
            x = g.op("Mul", [rows, scale])
        else:
            x = g.op("Gather", [g.const(self.sd["embed.weight"], "embed_f"), tokens])
        x = g.op("Mul", [x, g.const(np.array(math.sqrt(self.d), np.float32), "emb_scale")])
        length = g.op("Gather", [g.op("Shape", [tokens]), g.const(np.array(1, np.int64), "one")])
        pos = g.op("Cast", [g.op("Range", [start, g.op("Add", [start, length]), g.const(np.array(1, np.int64), "one")])],
                   to=TensorProto.FLOAT)
        inv_freq = np.exp(np.arange(0, self.d // 2, dtype=np.float32) * (-math.log(10000.0) / (self.d // 2)))
        angles = g.op("Mul", [g.op("Unsqueeze", [pos, g.const(np.array([-1], np.int64), "axis_last")]),
                              g.const(inv_freq.astype(np.float32), "inv_freq")])
        return g.op("Add", [x, g.op("Concat", [g.op("Sin", [angles]), g.op("Cos", [angles])], axis=-1)])

    def logits(self, g, x):
        if self.quantize:
            return g.matmul(x, "embed", self.sd["embed.weight"].T)
        return g.op("MatMul", [x, g.const(self.sd["embed.weight"].T.copy(), "embed_t")])

    # --- the two graphs --------------------------------------------------------------------
    def encoder_graph(self) -> onnx.ModelProto:
        g = Graph(self.quantize)
        x = self.embed(g, "tokens", g.const(np.array(0, np.int64), "zero"))
        for i in range(self.cfg.encoder_layers):
            p = f"encoder.{i}"
            hdn = self.layernorm(g, x, p + ".ln1")
            q, k, v = (self.heads(g, self.linear(g, hdn, f"{p}.attn.{n}")) for n in "qkv")
            x = g.op("Add", [x, self.linear(g, self.attend(g, q, k, v), p + ".attn.o")])
            x = g.op("Add", [x, self.ffn(g, self.layernorm(g, x, p + ".ln2"), p + ".ffn")])
        memory = self.layernorm(g, x, "enc_ln")
        axis0 = g.const(np.array([0], np.int64), "axis0")
        ks, vs = [], []
        for i in range(self.cfg.decoder_layers):
            p = f"decoder.{i}.cross_attn"
            ks.append(g.op("Unsqueeze", [self.heads(g, self.linear(g, memory, p + ".k")), axis0]))
            vs.append(g.op("Unsqueeze", [self.heads(g, self.linear(g, memory, p + ".v")), axis0]))
        g.nodes.append(helper.make_node("Concat", ks, ["cross_k"], name="cat_k", axis=0))
        g.nodes.append(helper.make_node("Concat", vs, ["cross_v"], name="cat_v", axis=0))
        L = self.cfg.decoder_layers
        inputs = [helper.make_tensor_value_info("tokens", TensorProto.INT64, [1, "S"])]
        outputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [L, 1, self.h, "S", self.dh])
                   for n in ("cross_k", "cross_v")]
        return self._model(g, "encoder", inputs, outputs)

    def decoder_graph(self) -> onnx.ModelProto:
        g = Graph(self.quantize, per_row=True)
        past_len = g.op("Gather", [g.op("Shape", ["past_k"]), g.const(np.array(3, np.int64), "three")])
        x = self.embed(g, "tokens", past_len)
        one, zero = g.const(np.array(1, np.int64), "one"), g.const(np.array(0, np.int64), "zero")
        axis0, axis_last = g.const(np.array([0], np.int64), "axis0"), g.const(np.array([-1], np.int64), "axis_last")
        neg, zf = g.const(np.array(-1e9, np.float32), "neg"), g.const(np.array(0, np.float32), "zf")
        length = g.op("Gather", [g.op("Shape", ["tokens"]), one])
        total = g.op("Add", [past_len, length])
        # Self-attention keys are padded to a width fixed for the sentence (3 x source length + 16 is
        # more than any decode needs), so softmax rows have the same length in every pass.
        src_len = g.op("Gather", [g.op("Shape", ["cross_k"]), g.const(np.array(3, np.int64), "three")])
        width = g.op("Max", [g.op("Add", [g.op("Mul", [src_len, g.const(np.array(3, np.int64), "i3")]),
                                          g.const(np.array(16, np.int64), "i16")]), total])
        pads = g.op("Concat", [g.const(np.zeros(6, np.int64), "pads6"),
                               g.op("Unsqueeze", [g.op("Sub", [width, total]), axis0]),
                               g.const(np.zeros(1, np.int64), "pads1")], axis=0)
        # Causal mask [T+1, width]: query i (the extra row T included) sees key slots <= past_len + i.
        rows = g.op("Add", [g.op("Range", [zero, g.op("Add", [length, one]), one]), past_len])
        cols = g.op("Range", [zero, width, one])
        future = g.op("Greater", [g.op("Unsqueeze", [cols, axis0]), g.op("Unsqueeze", [rows, axis_last])])
        self_mask = g.op("Where", [future, neg, zf])
        # Cross-attention gets one masked zero key, so it never runs on a single key either.
        zero_key = g.const(np.zeros((1, self.h, 1, self.dh), np.float32), "zero_row")
        cross_cols = g.op("Range", [zero, g.op("Add", [src_len, one]), one])
        cross_mask = g.op("Where", [g.op("Equal", [cross_cols, src_len]), neg, zf])
        length1 = g.op("Unsqueeze", [length, axis0])
        present_k, present_v = [], []
        for i in range(self.cfg.decoder_layers):
            p = f"decoder.{i}"
            idx = g.const(np.array(i, np.int64), f"layer{i}")
            hdn = self.layernorm(g, x, p + ".ln1")
            q, k, v = (self.heads(g, self.linear(g, hdn, f"{p}.self_attn.{n}")) for n in "qkv")
            k = g.op("Concat", [g.op("Gather", ["past_k", idx], axis=0), k], axis=2)
            v = g.op("Concat", [g.op("Gather", ["past_v", idx], axis=0), v], axis=2)
            present_k.append(g.op("Unsqueeze", [k, axis0]))
            present_v.append(g.op("Unsqueeze", [v, axis0]))
            k, v = (g.op("Pad", [t, pads], mode="constant") for t in (k, v))
            x = g.op("Add", [x, self.linear(g, self.attend_rows(g, q, k, v, self_mask, length1), p + ".self_attn.o")])
            hdn = self.layernorm(g, x, p + ".ln2")
            q = self.heads(g, self.linear(g, hdn, p + ".cross_attn.q"))
            ck, cv = (g.op("Concat", [g.op("Gather", [n, idx], axis=0), zero_key], axis=2) for n in ("cross_k", "cross_v"))
            x = g.op("Add", [x, self.linear(g, self.attend_rows(g, q, ck, cv, cross_mask, length1), p + ".cross_attn.o")])
            x = g.op("Add", [x, self.ffn(g, self.layernorm(g, x, p + ".ln3"), p + ".ffn")])
        logits = self.logits(g, self.layernorm(g, x, "dec_ln"))
        g.nodes.append(helper.make_node("ArgMax", [logits], ["next"], name="argmax", axis=-1, keepdims=0))
        best = g.op("ReduceMax", [logits], axes=[-1], keepdims=0)
        lse = g.op("ReduceLogSumExp", [logits], axes=[-1], keepdims=0)
        g.nodes.append(helper.make_node("Sub", [best, lse], ["logprob"], name="logprob"))
        g.nodes.append(helper.make_node("Concat", present_k, ["present_k"], name="cat_k", axis=0))
        g.nodes.append(helper.make_node("Concat", present_v, ["present_v"], name="cat_v", axis=0))
        L, H, dh = self.cfg.decoder_layers, self.h, self.dh
        inputs = [helper.make_tensor_value_info("tokens", TensorProto.INT64, [1, "T"])]
        inputs += [helper.make_tensor_value_info(n, TensorProto.FLOAT, [L, 1, H, "P", dh]) for n in ("past_k", "past_v")]
        inputs += [helper.make_tensor_value_info(n, TensorProto.FLOAT, [L, 1, H, "S", dh]) for n in ("cross_k", "cross_v")]
        outputs = [helper.make_tensor_value_info("next", TensorProto.INT64, [1, "T"]),
                   helper.make_tensor_value_info("logprob", TensorProto.FLOAT, [1, "T"])]
        outputs += [helper.make_tensor_value_info(n, TensorProto.FLOAT, [L, 1, H, "Q", dh])
                    for n in ("present_k", "present_v")]
        return self._model(g, "decoder", inputs, outputs)

    def _model(self, g, name, inputs, outputs):
        graph = helper.make_graph(g.nodes, name, inputs, outputs, g.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET),
                                                        helper.make_opsetid("com.microsoft", 1)],
                                  producer_name="proofline")
        model.ir_version = 8
        onnx.checker.check_model(model)
        return model


def optimize(model: onnx.ModelProto, out_dir: Path, name: str) -> None:
    """Optimize offline with ONNX Runtime and save `name.onnx` + `name.weights`, the weights
    (original and prepacked) external and aligned, ready to load with optimizations disabled."""
    import onnxruntime as ort
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / f"{name}.onnx"
        onnx.save(model, raw, save_as_external_data=True, location=f"{name}.raw", size_threshold=1024)
        so = ort.SessionOptions()
        # EXTENDED, not ALL: level 3 only re-lays out convolutions, for the CPU it runs on. The prepacked
        # forms are used only where they match what the user's CPU packs (ORT re-packs otherwise).
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        so.intra_op_num_threads = 1
        so.optimized_model_filepath = str(Path(tmp) / f"{name}.opt.onnx")
        so.add_session_config_entry("session.optimized_model_external_initializers_file_name", f"{name}.weights")
        so.add_session_config_entry("session.optimized_model_external_initializers_min_size_in_bytes", "64")
        so.add_session_config_entry("session.save_external_prepacked_constant_initializers", "1")
        ort.InferenceSession(str(raw), so, providers=["CPUExecutionProvider"])
        realign(Path(tmp) / f"{name}.opt.onnx", out_dir, name)


def realign(src_onnx: Path, out_dir: Path, name: str) -> None:
    """Rewrite ORT's saved model so every external blob (weights and their prepacked forms) starts
    at a multiple of 64 KiB; tensors under 64 KiB (biases, norms, scales) go inline instead."""
    model = onnx.load(src_onnx, load_external_data=False)
    data = (src_onnx.parent / f"{name}.weights").read_bytes()
    out = bytearray()

    def place(blob: bytes) -> int:
        out.extend(b"\0" * (-len(out) % ALIGN))
        offset = len(out)
        out.extend(blob)
        return offset

    for t in model.graph.initializer:
        ext = {e.key: e.value for e in t.external_data}
        if not ext:
            continue
        blob = data[int(ext.get("offset", 0)):int(ext.get("offset", 0)) + int(ext["length"])]
        packed = {k: v for k, v in ext.items() if k.startswith("prepacked")}
        del t.external_data[:]
        if len(blob) < ALIGN and not packed:
            t.raw_data = blob
            t.data_location = TensorProto.DEFAULT
            continue
        entries = {"location": f"{name}.weights", "offset": str(place(blob)), "length": str(len(blob))}
        for key, value in packed.items():  # "kernel+hash|offset;length;flags"
            head, fields = value.split("|")
            off, length, *rest = fields.split(";")
            moved = place(data[int(off):int(off) + int(length)])
            entries[key] = f"{head}|{';'.join([str(moved), length, *rest])}"
        for k, v in entries.items():
            t.external_data.add(key=k, value=v)
    out.extend(b"\0" * (-len(out) % ALIGN))
    (out_dir / f"{name}.weights").write_bytes(bytes(out))
    onnx.save(model, out_dir / f"{name}.onnx")


def export(model, out_dir: Path, quantize: bool = True, optimize_offline: bool = True) -> dict:
    """Write encoder/decoder graphs for `model` into out_dir; returns file sizes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ex = Exporter(model.eval(), quantize)
    for name, graph in (("encoder", ex.encoder_graph()), ("decoder", ex.decoder_graph())):
        if optimize_offline:
            optimize(graph, out_dir, name)
        else:
            onnx.save(graph, out_dir / f"{name}.onnx", save_as_external_data=True,
                      location=f"{name}.weights", size_threshold=1024)
    return file_digests(out_dir)


GRAPHS = ("encoder.onnx", "encoder.weights", "decoder.onnx", "decoder.weights")
TABLES = ("spm.model", "dialect.tsv", "lexicon.npz", "verbs.tsv")   # copied beside the graphs from assets/
MODEL_FILES = GRAPHS + TABLES   # model.json, written last, records their digests


def file_digests(model_dir: Path) -> dict:
    """Size and CRC-32 of each model file, recorded in model.json so that run time can refuse a
    damaged or truncated file with a clear message instead of faulting on a mapped page."""
    import zlib
    return {n: {"bytes": (model_dir / n).stat().st_size, "crc32": zlib.crc32((model_dir / n).read_bytes())}
            for n in MODEL_FILES if (model_dir / n).exists()}


def write_model(checkpoint: Path, out: Path, tokenizer: Path = Path("assets/spm.model"), quantize: bool = True,
                scores: dict | None = None) -> dict:
    """Export a checkpoint with its tokenizer, tables (dialect, words, verbs) and model card into `out`."""
    from edgemodel.train.train import load_model
    model, ckpt = load_model(checkpoint)
    export(model, out, quantize=quantize)
    for name in TABLES:
        src = tokenizer if name == "spm.model" else tokenizer.parent / name
        if src.exists() and src.resolve() != (out / name).resolve():
            shutil.copy(src, out / name)
    trained = ckpt.get("train_config") or {}
    real = float(trained.get("real_share", 0) or 0) > 0
    card = {
        "format": 1,
        "config": ckpt["model_config"],
        "parameters": model.num_params(),
        "quantized": quantize,
        "tokenizer": "spm.model",
        "max_source_tokens": int(trained.get("max_len", DEFAULT_SOURCE_TOKENS)),   # longest sentence it learned from
        "training": {k: ckpt.get(k) for k in ("step", "tokens", "hours", "cpu_hours")}
        | ({"averaged_steps": ckpt["averaged_steps"]} if "averaged_steps" in ckpt else {}),
        "train_config": ckpt.get("train_config"),
        "data": ["clean/wiki.train (CC BY-SA 3.0)", "clean/brown.train", "lexical/* (error generation only)"]
                + (["gec/wi_locness train (non-commercial research and education only)",
                    "gec/fce train (non-commercial research and education only)"] if real else []),
        "files": file_digests(out),
        "scores": scores,
    }
    (out / "model.json").write_text(json.dumps(card, indent=2) + "\n")
    return card


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("assets"))
    ap.add_argument("--tokenizer", type=Path, default=Path("assets/spm.model"))
    ap.add_argument("--no-quantize", action="store_true")
    ap.add_argument("--scores", type=Path, help="evaluation JSON to record in model.json")
    args = ap.parse_args(argv)
    card = write_model(args.checkpoint, args.out, args.tokenizer, not args.no_quantize,
                       json.loads(args.scores.read_text()) if args.scores else None)
    print(json.dumps(card, indent=2))


if __name__ == "__main__":
    main()
