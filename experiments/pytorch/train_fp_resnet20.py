"""Trains the full-precision ResNet-20 that experiments/fmnist-resnet20-w4a4*.yaml start from.

The same network as efqat-models' ResNet20 (and shared/anchors/pytorch_qat_bench.py, cin=1): the
state_dict names are the checkpoint names EfQAT-Java reads. Full Fashion-MNIST (60000 images),
x = (pixel/255 - 0.2860)/0.3530, random horizontal flips and 28x28 crops after 2-pixel zero
padding, SGD (lr 0.1, momentum 0.9, weight decay 5e-4, cosine to 0), batch 128, seeded.
Writes an F32 safetensors file (by hand: u64 header length, JSON header, raw data).

  apt-get install -y python3-torch dataset-fashion-mnist
  /usr/bin/python3 experiments/pytorch/train_fp_resnet20.py --epochs 6 --out runs/fmnist-resnet20-fp.safetensors
"""
import argparse, gzip, json, math, os, struct, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

MEAN, STD = 0.2860, 0.3530


class Block(nn.Module):
    def __init__(s, cin, cout, stride):
        super().__init__()
        s.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); s.b1 = nn.BatchNorm2d(cout)
        s.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); s.b2 = nn.BatchNorm2d(cout)
        s.short = None
        if stride != 1 or cin != cout:
            s.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(s, x):
        o = s.b2(s.c2(F.relu(s.b1(s.c1(x)))))
        return F.relu(o + (x if s.short is None else s.short(x)))


class ResNet20(nn.Module):
    def __init__(s, cin=1, classes=10, width=16):
        super().__init__()
        s.conv = nn.Conv2d(cin, width, 3, 1, 1, bias=False); s.bn = nn.BatchNorm2d(width)
        layers, c = [], width
        for stage in range(3):
            for i in range(3):
                cout = width << stage
                layers.append(Block(c, cout, 2 if stage > 0 and i == 0 else 1)); c = cout
        s.layers = nn.Sequential(*layers)
        s.fc = nn.Linear(c, classes)

    def forward(s, x):
        x = s.layers(F.relu(s.bn(s.conv(x))))
        return s.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(data, split):
    x = read_idx(os.path.join(data, f"{split}-images-idx3-ubyte.gz")).astype(np.float32)
    y = read_idx(os.path.join(data, f"{split}-labels-idx1-ubyte.gz")).astype(np.int64)
    return (torch.from_numpy(x).unsqueeze(1) / 255.0 - MEAN) / STD, torch.from_numpy(y)


def augment(x, gen):
    flip = torch.rand(x.shape[0], generator=gen) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(3), x)
    padded = F.pad(x, (2, 2, 2, 2))
    out = torch.empty_like(x)
    offs = torch.randint(0, 5, (x.shape[0], 2), generator=gen)
    for i in range(x.shape[0]):
        dy, dx = offs[i].tolist()
        out[i] = padded[i, :, dy:dy + 28, dx:dx + 28]
    return out


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors:
        blob = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob); offset += len(blob)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    torch.set_num_threads(2); torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    xt, yt = load(a.data, "train"); xe, ye = load(a.data, "t10k")
    model = ResNet20()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    steps = a.epochs * math.ceil(len(yt) / a.batch)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    t0 = time.time()
    for epoch in range(a.epochs):
        model.train()
        order = torch.randperm(len(yt), generator=gen)
        for s in range(0, len(yt), a.batch):
            idx = order[s:s + a.batch]
            loss = F.cross_entropy(model(augment(xt[idx], gen)), yt[idx])
            opt.zero_grad(set_to_none=True); loss.backward(); opt.step(); sched.step()
        model.eval()
        with torch.no_grad():
            acc = sum((model(xe[i:i + 1000]).argmax(1) == ye[i:i + 1000]).sum().item() for i in range(0, len(ye), 1000)) / len(ye)
        print(json.dumps({"epoch": epoch + 1, "test_accuracy": acc, "seconds": round(time.time() - t0)}), flush=True)
    tensors = [(k, v.float()) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")]
    write_safetensors(a.out, tensors, {"trainer": "pytorch " + torch.__version__, "epochs": str(a.epochs),
                                       "test_accuracy": str(acc)})


if __name__ == "__main__":
    main()
