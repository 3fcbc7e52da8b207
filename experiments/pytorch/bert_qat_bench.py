"""The PyTorch reference for EfQAT BERT-encoder step times: PyTorch (Debian python3-torch 1.13, CPU)
training-step times of a BERT-style encoder classifier, FP and eager-mode QAT (torch.ao.quantization),
on random token ids.  Prints ONE JSON line.  Companion of ../../../shared/anchors/pytorch_qat_bench.py
(ResNet-20); run it next to the EfQAT-Java Transformer bench in the same sitting when you compare,
since these machines drift.

Usage (Debian's PyTorch, NOT the pyenv python3 on PATH):
  apt-get install -y python3-torch libopenblas0-pthread
  (Without OpenBLAS, Debian's torch runs its GEMMs on the reference BLAS at about 6 GFLOP/s and is
  some 25x slower: not a fair reference. `update-alternatives --display libblas.so.3-x86_64-linux-gnu`
  shows which BLAS is selected.)
  /usr/bin/python3 experiments/pytorch/bert_qat_bench.py [--preset minilm|bert-base] [--layers N]
      [--batch 32] [--seq 128] [--classes 26] [--threads 2] [--iters 10] [--warmup 3]
      [--pad-fraction 0.0] [--pool mean|cls] [--dropout 0.1] [--mode fp|qat|both]
      [--act-range fbgemm|full] [--seed 0]
  e.g. /usr/bin/python3 experiments/pytorch/bert_qat_bench.py --preset minilm --layers 1 --batch 4 --seq 32 --iters 2

Model (Hugging Face BertModel structure, written out in torch.nn, no pooler dense layer):
  embeddings: word (vocab x H) + position (512 x H) + token_type (2 x H, all ids 0), LayerNorm(eps 1e-12),
  dropout; per layer: Q, K, V nn.Linear(H, H); scores = QK^T / sqrt(H/heads) + additive padding mask
  (finfo.min on padded keys, as HF does); softmax; dropout on the attention probabilities; context;
  attention output nn.Linear(H, H) + dropout + residual + LayerNorm; FFN nn.Linear(H, F) + exact GELU
  (F.gelu, erf form) + nn.Linear(F, H) + dropout + residual + LayerNorm.  Pooling: mean over the
  unpadded tokens (--pool mean, the sentence-transformers MiniLM way) or the first token (--pool cls);
  classifier nn.Linear(H, classes); cross-entropy loss.  Presets: minilm = 6 layers, H 384, 12 heads,
  F 1536, vocab 30522 (encoder 22,565,376 parameters, the all-MiniLM-L6-v2 count less its 512
  position_ids); bert-base = 12, 768, 12, 3072, 30522.  --layers overrides the preset's layer count.
  Padding: the last round(seq * pad_fraction) tokens of every sequence are padding (attention mask 0).
  Optimizer: SGD(lr 1e-4, momentum 0.9).  Model in train mode (dropout active).

What is fake-quantized in QAT mode (exactly, and nothing else):
  EVERY nn.Linear: Q, K, V, attention output, FFN in, FFN out (6 per layer) and the classifier, i.e.
  6 * layers + 1 Linears.  Each one gets TWO FakeQuantize modules (torch.ao FusedMovingAvgObsFakeQuantize
  from tq.get_default_qat_qconfig('fbgemm'), observers updating every step, straight-through gradients):
    - weight: the Linear is swapped for torch.nn.qat.Linear (nn.qat.Linear.from_float, the swap that
      tq.prepare_qat performs for nn.Linear), whose weight_fake_quant is
      per-output-channel (per-row) symmetric int8 [-128, 127], MovingAveragePerChannelMinMaxObserver;
    - input: a FakeQuantize on the Linear's input (module QLinear.input_fq), per-tensor affine
      (asymmetric) uint8, MovingAverageMinMaxObserver.  With --act-range fbgemm (default) this is the
      fbgemm qconfig's activation unchanged, which has reduce_range=True, i.e. quant range [0, 127]
      (7 bits effective); --act-range full uses quant_min 0, quant_max 255 (full 8 bits), the same
      observer otherwise.
  NOT fake-quantized: Linear outputs (no output observers: tq.prepare_qat's prepare() step, which would
  add one after every Linear, is deliberately not run), biases, embeddings, LayerNorms, the
  attention matmuls QK^T and probs*V, softmax, GELU, residual adds, pooling.  This matches EfQAT-Java's
  scheme of per-row symmetric weights and per-tensor asymmetric inputs on every Linear.  The script
  checks that the model holds exactly 2 FakeQuantize modules per Linear.

Timing: each of --warmup + --iters steps is timed; the median of the last --iters is reported.
fwd_ms = forward + loss; bwd_ms = zero_grad(set_to_none) + backward; step_ms = fwd + bwd + optimizer step.

JSON fields: torch, threads, preset, layers, hidden, heads, ffn, vocab, batch, seq, pad_tokens,
pool, classes, dropout, iters, warmup, params_total, params_encoder (without classifier),
params_linear (weights + biases of all nn.Linear), n_linear, linear_gflop_fwd (2*tokens*in*out over
encoder Linears + classifier, per forward), attn_gflop_fwd (QK^T and probs*V, per forward), and
per mode run ("fp" and/or "qat"): {fwd_ms, bwd_ms, step_ms, loss_first, loss_last}; in QAT also
n_fake_quant, act_quant_min, act_quant_max, weight_quant_min, weight_quant_max.
"""
import argparse, json, math, time, statistics, warnings
import torch, torch.nn as nn, torch.nn.functional as F
import torch.ao.quantization as tq
import torch.nn.qat as nnqat

warnings.filterwarnings("ignore", message="Please use quant_min and quant_max")  # fbgemm's reduce_range

PRESETS = {"minilm": dict(layers=6, hidden=384, heads=12, ffn=1536, vocab=30522),
           "bert-base": dict(layers=12, hidden=768, heads=12, ffn=3072, vocab=30522)}
MAX_POS, TYPE_VOCAB, LN_EPS = 512, 2, 1e-12


class QLinear(nn.Module):
    """A Linear with an optional FakeQuantize on its input (identity in FP mode)."""
    def __init__(s, cin, cout):
        super().__init__(); s.input_fq = nn.Identity(); s.linear = nn.Linear(cin, cout)
    def forward(s, x):
        return s.linear(s.input_fq(x))


class Embeddings(nn.Module):
    def __init__(s, c, p):
        super().__init__()
        s.word = nn.Embedding(c["vocab"], c["hidden"]); s.position = nn.Embedding(MAX_POS, c["hidden"])
        s.token_type = nn.Embedding(TYPE_VOCAB, c["hidden"]); s.ln = nn.LayerNorm(c["hidden"], eps=LN_EPS)
        s.drop = nn.Dropout(p)
    def forward(s, ids):
        pos = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = s.word(ids) + s.position(pos) + s.token_type(torch.zeros_like(ids))
        return s.drop(s.ln(x))


class Layer(nn.Module):
    def __init__(s, c, p):
        super().__init__()
        h = c["hidden"]; s.heads = c["heads"]; s.dh = h // s.heads
        s.q = QLinear(h, h); s.k = QLinear(h, h); s.v = QLinear(h, h)
        s.attn_drop = nn.Dropout(p); s.attn_out = QLinear(h, h); s.drop1 = nn.Dropout(p)
        s.ln1 = nn.LayerNorm(h, eps=LN_EPS)
        s.ffn_in = QLinear(h, c["ffn"]); s.ffn_out = QLinear(c["ffn"], h); s.drop2 = nn.Dropout(p)
        s.ln2 = nn.LayerNorm(h, eps=LN_EPS)
    def split(s, t):  # [B, S, H] -> [B, heads, S, dh]
        b, n, _ = t.shape; return t.view(b, n, s.heads, s.dh).transpose(1, 2)
    def forward(s, x, add_mask):
        b, n, h = x.shape
        q, k, v = s.split(s.q(x)), s.split(s.k(x)), s.split(s.v(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(s.dh) + add_mask
        probs = s.attn_drop(F.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(b, n, h)
        x = s.ln1(s.drop1(s.attn_out(ctx)) + x)
        return s.ln2(s.drop2(s.ffn_out(F.gelu(s.ffn_in(x)))) + x)


class BertClassifier(nn.Module):
    def __init__(s, c, classes, p, pool):
        super().__init__()
        s.emb = Embeddings(c, p); s.layers = nn.ModuleList([Layer(c, p) for _ in range(c["layers"])])
        s.pool = pool; s.classifier = QLinear(c["hidden"], classes)
    def forward(s, ids, mask):
        maskf = mask.to(torch.float32)
        add_mask = ((1.0 - maskf) * torch.finfo(torch.float32).min)[:, None, None, :]  # [B,1,1,S]
        x = s.emb(ids)
        for layer in s.layers:
            x = layer(x, add_mask)
        if s.pool == "mean":
            pooled = (x * maskf.unsqueeze(-1)).sum(1) / maskf.sum(1, keepdim=True).clamp(min=1e-9)
        else:
            pooled = x[:, 0]
        return s.classifier(pooled)


def make_qat(model, act_range):
    """Fake-quantize every Linear's weight (nn.qat.Linear) and input (FakeQuantize before it)."""
    qconfig = tq.get_default_qat_qconfig("fbgemm")
    act = qconfig.activation if act_range == "fbgemm" else tq.FusedMovingAvgObsFakeQuantize.with_args(
        observer=tq.MovingAverageMinMaxObserver, quant_min=0, quant_max=255, dtype=torch.quint8,
        qscheme=torch.per_tensor_affine, reduce_range=False)
    for m in list(model.modules()):
        if isinstance(m, QLinear):
            # What tq.prepare_qat's module swap does (nn.qat.Linear.from_float, which reads .qconfig), but
            # without its prepare() step, so no output observers are added.  (tq.convert cannot be used:
            # it strips every attribute named activation_post_process, including the FakeQuantizes' own
            # observers.)
            m.linear.qconfig = qconfig
            m.input_fq = act(); m.linear = nnqat.Linear.from_float(m.linear)
    return model


def timed_steps(model, ids, mask, y, iters, warmup, opt):
    fw, bw, tot, losses = [], [], [], []
    for i in range(iters + warmup):
        t0 = time.perf_counter(); out = model(ids, mask); loss = F.cross_entropy(out, y); t1 = time.perf_counter()
        opt.zero_grad(set_to_none=True); loss.backward(); t2 = time.perf_counter(); opt.step(); t3 = time.perf_counter()
        losses.append(loss.item())
        if i >= warmup: fw.append(t1 - t0); bw.append(t2 - t1); tot.append(t3 - t0)
    if not all(math.isfinite(l) for l in losses):
        raise SystemExit("non-finite loss: %r" % losses)
    m = statistics.median
    return {"fwd_ms": 1e3 * m(fw), "bwd_ms": 1e3 * m(bw), "step_ms": 1e3 * m(tot),
            "loss_first": losses[0], "loss_last": losses[-1]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--preset", choices=sorted(PRESETS), default="minilm")
    ap.add_argument("--layers", type=int, default=None, help="override the preset's layer count")
    ap.add_argument("--batch", type=int, default=32); ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--classes", type=int, default=26); ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iters", type=int, default=10); ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--pad-fraction", type=float, default=0.0, help="fraction of each sequence that is padding")
    ap.add_argument("--pool", choices=["mean", "cls"], default="mean")
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--mode", choices=["fp", "qat", "both"], default="both")
    ap.add_argument("--act-range", choices=["fbgemm", "full"], default="fbgemm",
                    help="input fake-quant range: fbgemm qconfig as is ([0,127], reduce_range) or full [0,255]")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--freeze-embeddings", action="store_true",
                    help="embedding tables get no gradient and no update (as EfQAT-Java's QAT stage by default)")
    a = ap.parse_args()
    c = dict(PRESETS[a.preset])
    if a.layers is not None: c["layers"] = a.layers
    if a.seq > MAX_POS: ap.error("--seq must be <= %d" % MAX_POS)
    if not 0.0 <= a.pad_fraction < 1.0: ap.error("--pad-fraction must be in [0, 1)")
    if c["hidden"] % c["heads"]: ap.error("hidden must be divisible by heads")
    torch.set_num_threads(a.threads)

    pad = int(round(a.seq * a.pad_fraction))
    if a.seq - pad < 1: ap.error("--pad-fraction leaves no real token")
    g = torch.Generator().manual_seed(a.seed)
    ids = torch.randint(1000, c["vocab"], (a.batch, a.seq), generator=g)  # ids >= 1000: no special tokens
    mask = torch.ones(a.batch, a.seq, dtype=torch.long)
    if pad:
        mask[:, a.seq - pad:] = 0; ids[:, a.seq - pad:] = 0  # [PAD] = 0 as in BERT's vocabulary
    y = torch.randint(0, a.classes, (a.batch,), generator=g)

    def build():
        torch.manual_seed(a.seed); m = BertClassifier(c, a.classes, a.dropout, a.pool); m.train(); return m

    ref = build()
    linears = [m for m in ref.modules() if isinstance(m, nn.Linear)]
    tokens = a.batch * a.seq
    lin_flop = sum(2 * tokens * m.in_features * m.out_features for m in linears if m is not ref.classifier.linear)
    lin_flop += 2 * a.batch * c["hidden"] * a.classes
    res = {"torch": torch.__version__, "threads": a.threads, "preset": a.preset, **c,
           "batch": a.batch, "seq": a.seq, "pad_tokens": pad, "pool": a.pool, "classes": a.classes,
           "dropout": a.dropout, "iters": a.iters, "warmup": a.warmup,
           "freeze_embeddings": a.freeze_embeddings,
           "params_total": sum(p.numel() for p in ref.parameters()),
           "params_encoder": sum(p.numel() for p in ref.parameters()) - sum(p.numel() for p in ref.classifier.parameters()),
           "params_linear": sum(p.numel() for m in linears for p in m.parameters()),
           "n_linear": len(linears),
           "linear_gflop_fwd": lin_flop / 1e9,
           "attn_gflop_fwd": c["layers"] * 2 * 2 * a.batch * a.seq * a.seq * c["hidden"] / 1e9}
    del ref

    def sgd(m):
        if a.freeze_embeddings:
            for t in (m.emb.word, m.emb.position, m.emb.token_type):
                t.weight.requires_grad_(False)
        return torch.optim.SGD([p for p in m.parameters() if p.requires_grad], lr=1e-4, momentum=0.9)
    if a.mode in ("fp", "both"):
        fp = build(); res["fp"] = timed_steps(fp, ids, mask, y, a.iters, a.warmup, sgd(fp)); del fp
    if a.mode in ("qat", "both"):
        q = make_qat(build(), a.act_range); q.train()
        n_fq = sum(1 for m in q.modules() if isinstance(m, tq.FakeQuantizeBase))
        n_qlin = sum(1 for m in q.modules() if isinstance(m, nnqat.Linear))
        n_lin = sum(1 for m in q.modules() if isinstance(m, nn.Linear))
        if n_qlin != res["n_linear"] or n_lin != n_qlin or n_fq != 2 * n_qlin:
            raise SystemExit("QAT wiring wrong: %d qat.Linear, %d Linear, %d FakeQuantize, expected %d / %d"
                             % (n_qlin, n_lin, n_fq, res["n_linear"], 2 * res["n_linear"]))
        afq = q.classifier.input_fq; wfq = q.classifier.linear.weight_fake_quant
        r = timed_steps(q, ids, mask, y, a.iters, a.warmup, sgd(q))
        r.update({"n_fake_quant": n_fq, "act_quant_min": afq.quant_min, "act_quant_max": afq.quant_max,
                  "weight_quant_min": wfq.quant_min, "weight_quant_max": wfq.quant_max})
        res["qat"] = r
    print(json.dumps(res))


if __name__ == "__main__":
    main()
