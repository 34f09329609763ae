#!/usr/bin/env python3
"""OpenBLAS (through PyTorch) on the products that bench's DenseKernels times for Adjoint:
forward Y = X W + b, dX = dY W^T, dW = X^T dY (+ dB), on the MNIST layer shapes at batch 1, 64
and 256, best of short trials by wall-clock time, taken round-robin over the products after a
warm-up, as DenseKernels does. Run with Debian's python3-torch:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE \\
    /usr/bin/python3 bench/dense_kernels.py [threads] [batches...]
"""
import os
import sys
import time

import torch

LAYERS = [(784, 128), (128, 10), (784, 256), (256, 128)]


TRIALS = 60


def trial(flops, op):
    """Seconds per call over one short trial of about a millisecond or more."""
    reps = max(1, int(1e6 / max(1.0, flops / 20)))
    t0 = time.perf_counter()
    for _ in range(reps):
        op()
    return (time.perf_counter() - t0) / reps


def measure(threads, products):
    """As DenseKernels: a warm-up of all products, then trials round-robin over them."""
    end = time.perf_counter() + 2.0
    while time.perf_counter() < end:
        for _, _, _, op in products:
            op()
    best = [float("inf")] * len(products)
    for _ in range(TRIALS):
        for i, (_, _, flops, op) in enumerate(products):
            best[i] = min(best[i], trial(flops, op))
    for (shape, product, flops, _), t in zip(products, best):
        print(f"openblas threads={threads} {shape:<10} {product:<8} {t * 1e6:9.2f} us "
              f"{flops / t / 1e9:7.1f} GFLOP/s")


def blas_libraries():
    """The libblas files this process has mapped, resolved through Debian's alternatives."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open("/proc/self/maps") as maps:
        paths = {os.path.realpath(line.split()[-1]) for line in maps if "/" in line}
    return sorted(p for p in paths if os.path.basename(p).startswith("libblas"))


def main():
    blas = [p for p in blas_libraries() if "openblas" not in p and "mkl" not in p]
    if blas:
        # Debian's python3-torch calls the generic libblas.so.3: without libopenblas0-pthread it
        # is the reference BLAS, and these lines would not be OpenBLAS.
        print(f"# OpenBLAS skipped: PyTorch's BLAS here is {' '.join(blas)} "
              "(apt-get install libopenblas0-pthread)")
        return
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    batches = [int(a) for a in sys.argv[2:]] or [1, 64, 256]
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for batch in batches:
            products = []
            for n_in, n_out in LAYERS:
                products += layer_products(g, batch, n_in, n_out)
            measure(threads, products)


def layer_products(g, batch, n_in, n_out):
    x = torch.rand(batch, n_in, generator=g) * 2 - 1
    w = torch.rand(n_in, n_out, generator=g) * 2 - 1
    b = torch.rand(n_out, generator=g) * 2 - 1
    dy = torch.rand(batch, n_out, generator=g) * 2 - 1
    dx = torch.zeros(batch, n_in)
    dw = torch.zeros(n_in, n_out)
    db = torch.zeros(n_out)
    flops = 2.0 * batch * n_in * n_out
    shape = f"{batch}x{n_in}x{n_out}"

    def weight_gradient():
        dw.addmm_(x.t(), dy)
        db.add_(dy.sum(0))
    return [(shape, "forward", flops, lambda: torch.addmm(b, x, w)),
            (shape, "dX", flops, lambda: dx.addmm_(dy, w.t())),
            (shape, "dW+dB", flops, weight_gradient)]

if __name__ == "__main__":
    main()
