"""Regenerates the ResNet-20 / Fashion-MNIST golden fixture in this folder.

Trains ResNet-20 (the exact module layout of shared/anchors/pytorch_qat_bench.py, cin=1,
classes=10, without the QuantStub/DeQuantStub/FloatFunctional, which have no parameters) for one
epoch on the first 12000 Fashion-MNIST training images, rounds every state_dict tensor to float16
and back (so the F16 file below holds the model losslessly), and writes

  resnet20-fmnist.safetensors  every state_dict tensor except BatchNorm's num_batches_tracked,
                               PyTorch names and layouts, dtype F16, written by hand (struct+json)
                               in the format of the reference safetensors implementation
  golden.json                  preprocessing constants, the raw pixels, labels and eval-mode
                               float32 logits of the first 32 test images, eval accuracy on the
                               first 2000 test images, per-module activation sums for test image 0

Usage (Debian bookworm; PyPI is not needed):
  apt-get install -y python3-torch dataset-fashion-mnist
  /usr/bin/python3 make_fixture.py [--data /usr/share/datasets/fashion-mnist] [--out .]
"""
import argparse, gzip, json, os, struct, sys, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

MEAN, STD = 0.2860, 0.3530
SEED, LR, MOMENTUM, BATCH, TRAIN_IMAGES, GOLDEN_IMAGES, EVAL_IMAGES = 0, 0.1, 0.9, 128, 12000, 32, 2000


class Block(nn.Module):
    def __init__(s, cin, cout, stride):
        super().__init__()
        s.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); s.b1 = nn.BatchNorm2d(cout); s.r1 = nn.ReLU()
        s.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); s.b2 = nn.BatchNorm2d(cout)
        s.short = None
        if stride != 1 or cin != cout:
            s.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
        s.r2 = nn.ReLU()

    def forward(s, x):
        o = s.r1(s.b1(s.c1(x))); o = s.b2(s.c2(o))
        sc = x if s.short is None else s.short(x)
        return s.r2(o + sc)


class ResNet20(nn.Module):
    def __init__(s, cin=3, classes=10):
        super().__init__()
        s.conv = nn.Conv2d(cin, 16, 3, 1, 1, bias=False); s.bn = nn.BatchNorm2d(16); s.relu = nn.ReLU()
        layers, c = [], 16
        for cout, stride in [(16, 1), (32, 2), (64, 2)]:
            for i in range(3):
                layers.append(Block(c, cout, stride if i == 0 else 1)); c = cout
        s.layers = nn.Sequential(*layers)
        s.fc = nn.Linear(64, classes)

    def forward(s, x):
        x = s.relu(s.bn(s.conv(x))); x = s.layers(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1); return s.fc(x)


def read_idx(path):
    """Reads an IDX file (optionally gzipped): magic 0x0000 0x08(ubyte) ndim, big-endian dims, data."""
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        raw = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def preprocess(pixels_u8):
    """uint8 [N, 28, 28] -> float32 NCHW [N, 1, 28, 28], x = (pixel / 255 - MEAN) / STD."""
    x = torch.from_numpy(pixels_u8.astype(np.float32)).unsqueeze(1)
    return (x / 255.0 - MEAN) / STD


def write_safetensors(path, tensors, metadata):
    """Writes float tensors as F16 safetensors: u64 LE header length, JSON header padded with spaces
    to a multiple of 8 (as the reference implementation does), then the raw little-endian data in
    header order. tensors: list of (name, torch.Tensor)."""
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors:
        blob = t.detach().cpu().contiguous().numpy().astype("<f2").tobytes()
        header[name] = {"dtype": "F16", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob); offset += len(blob)
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(hjson))); f.write(hjson)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def read_safetensors_f16(path):
    """Reads back what write_safetensors wrote (self-check): {name: float32 numpy array}."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8]); header = json.loads(raw[8:8 + n]); base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(raw[base + b:base + e], dtype="<f2").astype(np.float32).reshape(info["shape"])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    a = ap.parse_args()
    torch.set_num_threads(2); torch.manual_seed(SEED)
    t0 = time.time()

    tr_x = read_idx(os.path.join(a.data, "train-images-idx3-ubyte.gz"))[:TRAIN_IMAGES]
    tr_y = read_idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz"))[:TRAIN_IMAGES]
    te_x = read_idx(os.path.join(a.data, "t10k-images-idx3-ubyte.gz"))[:EVAL_IMAGES]
    te_y = read_idx(os.path.join(a.data, "t10k-labels-idx1-ubyte.gz"))[:EVAL_IMAGES]
    x_train, y_train = preprocess(tr_x), torch.from_numpy(tr_y.astype(np.int64))
    x_test, y_test = preprocess(te_x), torch.from_numpy(te_y.astype(np.int64))

    model = ResNet20(cin=1, classes=10)
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    gen = torch.Generator().manual_seed(SEED)
    order = torch.randperm(TRAIN_IMAGES, generator=gen)
    model.train(); correct = seen = 0; loss_sum = 0.0
    for start in range(0, TRAIN_IMAGES, BATCH):
        idx = order[start:start + BATCH]
        out = model(x_train[idx]); loss = F.cross_entropy(out, y_train[idx])
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        correct += (out.argmax(1) == y_train[idx]).sum().item(); seen += len(idx)
        loss_sum += loss.item() * len(idx)
    train_acc, train_loss = correct / seen, loss_sum / seen

    # Round every float tensor to float16 and back: the F16 file then holds the model exactly.
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if t.is_floating_point():
                t.copy_(t.half().float())
    model.eval()

    stats = {}
    def hook(name):
        def f(_m, _i, o):
            o0 = o[0].detach().double()
            stats[name] = {"shape": list(o[0].shape), "sum": o0.sum().item(), "sum_sq": (o0 * o0).sum().item()}
        return f
    hooks = [model.relu.register_forward_hook(hook("relu"))]
    hooks += [model.layers[i].register_forward_hook(hook(f"layers.{i}")) for i in range(9)]
    hooks += [model.fc.register_forward_hook(hook("fc"))]
    with torch.no_grad():
        golden_logits = model(x_test[:GOLDEN_IMAGES])
    for h in hooks:
        h.remove()
    with torch.no_grad():
        eval_logits = torch.cat([model(x_test[i:i + 500]) for i in range(0, EVAL_IMAGES, 500)])
    eval_correct = (eval_logits.argmax(1) == y_test).sum().item(); eval_acc = eval_correct / EVAL_IMAGES

    state = [(k, v) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")]
    st_path = os.path.join(a.out, "resnet20-fmnist.safetensors")
    write_safetensors(st_path, state, {
        "format": "pt", "model": "resnet20", "dataset": "fashion-mnist", "source": "make_fixture.py",
        "torch": torch.__version__})
    back = read_safetensors_f16(st_path)
    assert list(back) == [k for k, _ in state], "name order changed"
    for k, v in state:
        assert np.array_equal(back[k], v.numpy()), f"{k} is not exact in F16"

    golden = {
        "description": "ResNet-20 (cin=1, classes=10) trained 1 epoch on 12000 Fashion-MNIST images; "
                       "weights rounded to float16; eval-mode logits of the first test images",
        "torch": torch.__version__, "numpy": np.__version__,
        "seed": SEED, "optimizer": {"type": "sgd", "lr": LR, "momentum": MOMENTUM, "weight_decay": 0.0},
        "batch": BATCH, "train_images": TRAIN_IMAGES, "epochs": 1,
        "preprocess": {"mean": MEAN, "std": STD, "formula": "x = (pixel / 255 - mean) / std", "layout": "NCHW",
                       "shape": [1, 28, 28]},
        "weights": "resnet20-fmnist.safetensors",
        "train_accuracy_during_epoch": train_acc, "train_loss_during_epoch": train_loss,
        "eval_images": EVAL_IMAGES, "eval_correct": eval_correct, "eval_accuracy": eval_acc,
        "golden_count": GOLDEN_IMAGES,
        "labels": y_test[:GOLDEN_IMAGES].tolist(),
        "logits": [[float(v) for v in row] for row in golden_logits.float().numpy()],
        "pixels_u8": [img.reshape(-1).tolist() for img in te_x[:GOLDEN_IMAGES]],
        "activation_stats_image0": stats,
    }
    with open(os.path.join(a.out, "golden.json"), "w") as f:
        json.dump(golden, f, separators=(",", ":")); f.write("\n")
    print(json.dumps({"train_accuracy_during_epoch": train_acc, "eval_accuracy": eval_acc,
                      "tensors": len(state), "seconds": round(time.time() - t0, 1)}))


if __name__ == "__main__":
    main()
