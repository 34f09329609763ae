#!/usr/bin/env python3
"""Reference training throughput of PyTorch on CPU for the MNIST MLP (784-128-10 by default,
ReLU, softmax cross-entropy, SGD lr 0.1), measured the same way as Adjoint's TrainThroughput.

Run with Debian's python3-torch and libopenblas0-pthread installed, giving PyTorch its best
setting on this machine:
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_mlp.py --batch 64 --threads 2
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_mlp.py --batch 1 --threads 1
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_mlp.py --hidden 256,128
Prints one line: model, batch, threads, samples per second (steady state, after warm-up).
"""
import argparse
import time

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
    args = parser.parse_args()
    widths = [784] + [int(w) for w in args.hidden.split(",")] + [10]

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
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


if __name__ == "__main__":
    main()
