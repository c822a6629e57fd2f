"""The EdgeFormer-style encoder-decoder, in torch (training only; run time uses the ONNX export).

Encoder-heavy: a deep encoder reads the sentence once, a 1-2 layer decoder writes the correction.
Pre-LN, tied input/output embeddings, sinusoidal positions (no table to store). Two
EdgeFormer parameter savings are config switches:
- `share_decoder_ffn`: every decoder layer uses one lightweight FFN (the interleaved decoder);
- `shared_encoder` + `lora_rank`: all encoder layers share one set of weights, each layer adding
  a small low-rank correction (the load-balanced parameterisation).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ModelConfig:
    vocab_size: int = 8000
    d_model: int = 256
    n_heads: int = 4
    d_ff: int = 1024
    encoder_layers: int = 6
    decoder_layers: int = 2
    decoder_ff: int = 512
    share_decoder_ffn: bool = True
    shared_encoder: bool = False
    lora_rank: int = 0
    dropout: float = 0.1
    pad_id: int = 0
    bos_id: int = 2
    eos_id: int = 3

    def to_dict(self) -> dict:
        return asdict(self)


def sinusoid(positions: torch.Tensor, d_model: int) -> torch.Tensor:
    """[..., d_model] sinusoidal encodings: sin in the first half, cos in the second."""
    inv_freq = torch.exp(torch.arange(0, d_model // 2, dtype=torch.float32) * (-math.log(10000.0) / (d_model // 2)))
    angles = positions.float().unsqueeze(-1) * inv_freq
    return torch.cat([angles.sin(), angles.cos()], dim=-1)


class LoRALinear(nn.Module):
    """A linear layer whose weight is shared, plus this layer's own low-rank correction and bias."""

    def __init__(self, shared: nn.Linear, rank: int):
        super().__init__()
        self.shared = shared
        self.bias = nn.Parameter(torch.zeros(shared.out_features))
        self.lora_a = nn.Parameter(torch.randn(shared.in_features, rank) / math.sqrt(shared.in_features))
        self.lora_b = nn.Parameter(torch.zeros(rank, shared.out_features))

    def forward(self, x):
        return F.linear(x, self.shared.weight) + (x @ self.lora_a) @ self.lora_b + self.bias


class Attention(nn.Module):
    def __init__(self, cfg: ModelConfig, linear):
        super().__init__()
        self.h, self.dh = cfg.n_heads, cfg.d_model // cfg.n_heads
        self.q, self.k, self.v, self.o = (linear(cfg.d_model, cfg.d_model, n) for n in "qkvo")
        self.dropout = cfg.dropout

    def split(self, x):  # [B, T, D] -> [B, H, T, dh]
        return x.view(x.shape[0], x.shape[1], self.h, self.dh).transpose(1, 2)

    def forward(self, x, kv=None, mask=None, cache=None):
        """kv: precomputed (k, v) for cross-attention; cache: (past_k, past_v) for self-attention."""
        q = self.split(self.q(x))
        if kv is None:
            k, v = self.split(self.k(x)), self.split(self.v(x))
            if cache is not None:
                k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        else:
            k, v = kv
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0)
        return self.o(y.transpose(1, 2).reshape(x.shape[0], x.shape[1], -1)), (k, v)


class FFN(nn.Module):
    def __init__(self, d_model, d_ff, dropout, linear):
        super().__init__()
        self.up, self.down = linear(d_model, d_ff, "up"), linear(d_ff, d_model, "down")
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        return self.down(self.drop(F.gelu(self.up(x))))


class EncoderLayer(nn.Module):
    def __init__(self, cfg, linear):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(cfg.d_model), nn.LayerNorm(cfg.d_model)
        self.attn = Attention(cfg, linear)
        self.ffn = FFN(cfg.d_model, cfg.d_ff, cfg.dropout, linear)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x, mask):
        x = x + self.drop(self.attn(self.ln1(x), mask=mask)[0])
        return x + self.drop(self.ffn(self.ln2(x)))


class DecoderLayer(nn.Module):
    def __init__(self, cfg, ffn: FFN):
        super().__init__()
        plain = lambda i, o, _name: nn.Linear(i, o)
        self.ln1, self.ln2, self.ln3 = (nn.LayerNorm(cfg.d_model) for _ in range(3))
        self.self_attn, self.cross_attn = Attention(cfg, plain), Attention(cfg, plain)
        self.ffn = ffn
        self.drop = nn.Dropout(cfg.dropout)

    def cross_kv(self, memory):
        a = self.cross_attn
        return a.split(a.k(memory)), a.split(a.v(memory))

    def forward(self, x, cross_kv, self_mask, cross_mask, cache=None):
        h, new_cache = self.self_attn(self.ln1(x), mask=self_mask, cache=cache)
        x = x + self.drop(h)
        x = x + self.drop(self.cross_attn(self.ln2(x), kv=cross_kv, mask=cross_mask)[0])
        return x + self.drop(self.ffn(self.ln3(x))), new_cache


def weighted_loss(logits, tgt_out, pad_id: int, label_smoothing: float, weights):
    """Token cross-entropy averaged with `weights` [B, T] (e.g. edits weighted up); padding is ignored."""
    ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1), ignore_index=pad_id,
                         label_smoothing=label_smoothing, reduction="none")
    w = weights * (tgt_out != pad_id)
    return (ce * w.reshape(-1)).sum() / w.sum()


class Seq2Seq(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)
        nn.init.normal_(self.embed.weight, std=cfg.d_model ** -0.5)
        if cfg.shared_encoder:
            shared = nn.ModuleDict({n: nn.Linear(cfg.d_model, cfg.d_model) for n in "qkvo"})
            shared["up"], shared["down"] = nn.Linear(cfg.d_model, cfg.d_ff), nn.Linear(cfg.d_ff, cfg.d_model)
            self.shared = shared
            linear = lambda i, o, name: LoRALinear(shared[name], cfg.lora_rank)
        else:
            linear = lambda i, o, _name: nn.Linear(i, o)
        self.encoder = nn.ModuleList(EncoderLayer(cfg, linear) for _ in range(cfg.encoder_layers))
        plain = lambda i, o, _name: nn.Linear(i, o)
        shared_ffn = FFN(cfg.d_model, cfg.decoder_ff, cfg.dropout, plain) if cfg.share_decoder_ffn else None
        self.decoder = nn.ModuleList(
            DecoderLayer(cfg, shared_ffn or FFN(cfg.d_model, cfg.decoder_ff, cfg.dropout, plain))
            for _ in range(cfg.decoder_layers))
        self.enc_ln, self.dec_ln = nn.LayerNorm(cfg.d_model), nn.LayerNorm(cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)

    def embed_tokens(self, tokens, offset: int = 0):
        pos = torch.arange(offset, offset + tokens.shape[1], device=tokens.device)
        return self.drop(self.embed(tokens) * math.sqrt(self.cfg.d_model) + sinusoid(pos, self.cfg.d_model))

    def encode(self, src):
        """src [B, S] -> (memory [B, S, D], key mask [B, 1, 1, S] or None)."""
        pad = src == self.cfg.pad_id
        mask = None
        if pad.any():
            mask = torch.zeros(pad.shape, dtype=torch.float32, device=src.device).masked_fill(pad, float("-inf"))
            mask = mask[:, None, None, :]
        x = self.embed_tokens(src)
        for layer in self.encoder:
            x = layer(x, mask)
        return self.enc_ln(x), mask

    def cross_kv(self, memory) -> list:
        """Each decoder layer's keys and values of the encoder output: the same at every step."""
        return [layer.cross_kv(memory) for layer in self.decoder]

    def decode(self, tgt_in, memory, src_mask, caches=None, offset: int = 0, cross=None):
        """Decoder logits for tgt_in [B, T] (positions from `offset`), with optional per-layer KV caches;
        step by step, pass `cross` (`cross_kv(memory)`, computed once): else every step recomputes it."""
        T = tgt_in.shape[1]
        causal = torch.full((T, offset + T), float("-inf"), device=tgt_in.device).triu(offset + 1)
        x = self.embed_tokens(tgt_in, offset)
        cross = cross or self.cross_kv(memory)
        new_caches = []
        for i, layer in enumerate(self.decoder):
            x, c = layer(x, cross[i], causal, src_mask, caches[i] if caches else None)
            new_caches.append(c)
        return F.linear(self.dec_ln(x), self.embed.weight), new_caches

    def forward(self, src, tgt_in):
        memory, src_mask = self.encode(src)
        return self.decode(tgt_in, memory, src_mask)[0]

    @torch.no_grad()
    def greedy(self, src: list[int], max_len: int | None = None) -> list[int]:
        """Plain greedy decoding of one sentence (token ids without BOS/EOS) -> output ids."""
        self.eval()
        memory, mask = self.encode(torch.tensor([src]))
        cross = self.cross_kv(memory)
        out = [self.cfg.bos_id]
        caches = None
        for _ in range(max_len or 2 * len(src) + 10):
            logits, caches = self.decode(torch.tensor([[out[-1]]]), memory, mask, caches, len(out) - 1, cross)
            nxt = int(logits[0, -1].argmax())
            if nxt == self.cfg.eos_id:
                break
            out.append(nxt)
        return out[1:]

    @torch.no_grad()
    def greedy_batch(self, srcs: list[list[int]]) -> list[list[int]]:
        """Greedy decoding of several sentences at once (evaluation during training)."""
        return self.decode_batch(srcs, lambda logits: logits.argmax(-1, keepdim=True),
                                 [2 * len(s) + 10 for s in srcs])[0]

    @torch.no_grad()
    def decode_batch(self, srcs: list[list[int]], pick, limits: list[int]) -> tuple[list[list[int]], list[bool]]:
        """Several sentences decoded at once, step by step: `pick(logits [B, V]) -> [B, 1]` chooses the
        next tokens; sentence i stops at EOS (finished) or after limits[i] tokens (not finished)."""
        self.eval()
        S = max(len(s) for s in srcs)
        src = torch.full((len(srcs), max(S, 1)), self.cfg.pad_id, dtype=torch.long)
        for i, s in enumerate(srcs):
            src[i, :len(s)] = torch.tensor(s, dtype=torch.long)
        memory, mask = self.encode(src)
        cross = self.cross_kv(memory)
        outs: list[list[int]] = [[] for _ in srcs]
        done, finished = [False] * len(srcs), [False] * len(srcs)
        token = torch.full((len(srcs), 1), self.cfg.bos_id, dtype=torch.long)
        caches = None
        for step in range(max(limits)):
            logits, caches = self.decode(token, memory, mask, caches, step, cross)
            token = pick(logits[:, -1])
            for i, t in enumerate(token[:, 0].tolist()):
                if not done[i]:
                    if t == self.cfg.eos_id:
                        done[i] = finished[i] = True
                    elif len(outs[i]) >= limits[i]:
                        done[i] = True
                    else:
                        outs[i].append(t)
            if all(done):
                break
        return outs, finished

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())
