#!/usr/bin/env python3
"""Reference training throughput of PyTorch on CPU for the MNIST MLP (784-128-10 by default,
ReLU, softmax cross-entropy, SGD lr 0.1), measured the same way as Adjoint's TrainThroughput.

Run with Debian's python3-torch and libopenblas0-pthread installed, giving PyTorch its best
setting on this machine:
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_mlp.py --batch 64 --threads 2
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_mlp.py --batch 1 --threads 1
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_mlp.py --hidden 256,128
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_mlp.py --data DIR   # MNIST's IDX files
Prints one line: model, batch, threads, samples per second (steady state, after warm-up).
With --data, trains on MNIST's training set as the train CLI reads it (pixels / 255, the
examples in a seeded shuffled order, reshuffled each pass); otherwise on random inputs.
"""
import argparse
import gzip
import os
import time

import numpy as np

import torch
import torch.nn as nn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--examples", type=int, default=60000)
    parser.add_argument("--hidden", default="128",
                        help="hidden layer widths separated by commas, as for train --hidden")
    parser.add_argument("--data", help="directory of MNIST's IDX files (train-images-idx3-ubyte,"
                        " train-labels-idx1-ubyte, optionally .gz)")
    args = parser.parse_args()
    widths = [784] + [int(w) for w in args.hidden.split(",")] + [10]

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.data:
        images = read_idx(args.data, "train-images-idx3-ubyte", 3)
        labels = read_idx(args.data, "train-labels-idx1-ubyte", 1)
        order = np.random.default_rng(1).permutation(len(labels))
        x = torch.from_numpy(images.reshape(len(labels), -1)[order].astype(np.float32) / 255)
        y = torch.from_numpy(labels[order].astype(np.int64))
        args.examples = len(labels)
    else:
        x = torch.rand(args.examples, 784)
        y = torch.randint(0, 10, (args.examples,))
    layers = []
    for fan_in, fan_out in zip(widths[:-2], widths[1:-1]):
        layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
    model = nn.Sequential(*layers, nn.Linear(widths[-2], widths[-1]))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()
    batches = args.examples // args.batch

    def run(seconds):
        done = 0
        start = time.perf_counter()
        k = 0
        while time.perf_counter() - start < seconds:
            i = (k % batches) * args.batch
            xb, yb = x[i:i + args.batch], y[i:i + args.batch]
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            done += args.batch
            k += 1
        return done / (time.perf_counter() - start)

    run(min(2.0, args.seconds))  # warm-up
    rate = run(args.seconds)
    shape = "-".join(str(w) for w in widths)
    print(f"pytorch model={shape} batch={args.batch} threads={args.threads} samples/s={rate:.0f}")


def read_idx(directory, name, dims):
    """An IDX file of unsigned bytes with `dims` dimensions, plain or gzipped, as a numpy array."""
    path = os.path.join(directory, name)
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path += ".gz"
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic != 0x0800 + dims:
        raise SystemExit(f"{path}: not an IDX file of {dims}-D unsigned bytes (magic {magic:#x})")
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims)
    if body.size != int(np.prod(shape)):
        raise SystemExit(f"{path}: {body.size} bytes of data, the header says {shape}")
    return body.reshape(shape)


if __name__ == "__main__":
    main()
