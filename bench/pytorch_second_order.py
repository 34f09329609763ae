#!/usr/bin/env python3
"""PyTorch's side of bench/compare-pytorch-second-order.sh: the JVPs and Hessian-vector
products of Adjoint's SecondOrderBenchmark functions (bench/.../SecondOrder.java), in double, on
the inputs that dev.adjoint.bench.SecondOrderTiming wrote (`dump DIR`), timed in every way
PyTorch 1.13 offers, and checked against Adjoint's results.

  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_second_order.py \
      --data DIR --function rosenbrock|logistic|mlp --threads 2 --seconds 1

For each thread count from 1 to --threads and each way, SECONDS of warm-up and SECONDS of
measurement (mean wall-clock microseconds per call). Prints one line per way and thread count,
with the largest relative difference of its result from Adjoint's (max |a - p| / max |a|), then
one summary line with the fastest JVP and the fastest HVP over all ways and thread counts.

JVP ways (the function is scalar, so J·t = ∇f·t):
  functional.jvp  torch.autograd.functional.jvp (the double-backward trick)
  functorch.jvp   functorch.jvp (forward-mode AD, dual tensors)
  grad.dot        one reverse pass, then ∇f·t (what a scalar JVP reduces to)
HVP ways:
  functional.hvp  torch.autograd.functional.hvp
  functional.vhp  torch.autograd.functional.vhp (= H·v, the Hessian being symmetric)
  double.backward autograd.grad(create_graph=True), then autograd.grad of ∇f·v
  functorch.fwd-over-rev  functorch.jvp(functorch.grad(f)) (forward over reverse)
  functorch.hessian       functorch.hessian, then H @ v (only where H is small: not Rosenbrock)
"""
import argparse
import os
import time

import numpy as np
import torch
import torch.autograd.functional as AF

try:
    import functorch
except ImportError:  # PyTorch without functorch: those ways are skipped
    functorch = None

EXAMPLES, FEATURES = 1000, 100
MLP_EXAMPLES, IN, HIDDEN = 500, 20, 32


def load(directory, name):
    for ext, dtype in ((".f64", "<f8"), (".i32", "<i4")):
        path = os.path.join(directory, name + ext)
        if os.path.exists(path):
            return torch.from_numpy(np.fromfile(path, dtype=dtype).astype(np.float64))
    raise SystemExit(f"{directory}: no {name}.f64 or {name}.i32 (run SecondOrderTiming dump)")


def problem(name, directory):
    """(f, primals, tangents, Adjoint's JVP, Adjoint's HVP as a tuple like primals)."""
    if name == "rosenbrock":
        def f(x):  # SecondOrder.rosenbrock
            a = x[1:] - x[:-1] * x[:-1]
            c = 1 - x[:-1]
            return (100 * a * a + c * c).sum()
        return (f, (load(directory, "rosenbrock.x"),), (load(directory, "rosenbrock.v"),),
                load(directory, "rosenbrock.jvp")[0], (load(directory, "rosenbrock.hvp"),))
    if name == "logistic":
        data = load(directory, "logistic.data").reshape(EXAMPLES, FEATURES)
        labels = load(directory, "logistic.labels")

        def f(w):  # SecondOrder.logistic: mean of log1p(exp(-|z|)) + max(z, 0) - y z
            z = data @ w
            return (torch.log1p(torch.exp(-z.abs())) + torch.clamp(z, min=0)
                    - labels * z).sum() / EXAMPLES
        return (f, (load(directory, "logistic.w"),), (load(directory, "logistic.v"),),
                load(directory, "logistic.jvp")[0], (load(directory, "logistic.hvp"),))
    if name == "mlp":
        x = load(directory, "mlp.x").reshape(MLP_EXAMPLES, IN)
        y = load(directory, "mlp.y")

        def f(w1, w2):  # SecondOrder.mlp: w1[h * in + j], MSE of a 20-32-1 tanh network
            out = torch.tanh(x @ w1.reshape(HIDDEN, IN).T) @ w2
            e = out - y
            return (e * e).sum() / MLP_EXAMPLES
        return (f, (load(directory, "mlp.w1"), load(directory, "mlp.w2")),
                (load(directory, "mlp.v1"), load(directory, "mlp.v2")),
                load(directory, "mlp.jvp")[0], (load(directory, "mlp.hvp1"), load(directory, "mlp.hvp2")))
    raise SystemExit(f"unknown function {name}")


def ways(f, primals, tangents):
    """name -> (kind, a call returning the JVP (a scalar) or the HVP (a tuple like primals))."""
    n = len(primals)
    one = n == 1
    ps = primals[0] if one else primals
    ts = tangents[0] if one else tangents

    def as_tuple(r):
        return (r,) if one else tuple(r)

    def grad_dot():
        p = [q.detach().requires_grad_() for q in primals]
        g = torch.autograd.grad(f(*p), p)
        return sum((gi * ti).sum() for gi, ti in zip(g, tangents))

    def double_backward():
        p = [q.detach().requires_grad_() for q in primals]
        g = torch.autograd.grad(f(*p), p, create_graph=True)
        dot = sum((gi * ti).sum() for gi, ti in zip(g, tangents))
        return tuple(torch.autograd.grad(dot, p))

    w = {
        "functional.jvp": ("jvp", lambda: AF.jvp(f, ps, ts)[1]),
        "grad.dot": ("jvp", grad_dot),
        "functional.hvp": ("hvp", lambda: as_tuple(AF.hvp(f, ps, ts)[1])),
        "functional.vhp": ("hvp", lambda: as_tuple(AF.vhp(f, ps, ts)[1])),
        "double.backward": ("hvp", double_backward),
    }
    if functorch is not None:
        argnums = tuple(range(n))
        grad_f = functorch.grad(f, argnums=argnums)
        w["functorch.jvp"] = ("jvp", lambda: functorch.jvp(f, primals, tangents)[1])
        w["functorch.fwd-over-rev"] = (
            "hvp", lambda: tuple(functorch.jvp(grad_f, primals, tangents)[1]))
        size = sum(p.numel() for p in primals)
        if size <= 5000:  # a dense Hessian: only for the small problems (not Rosenbrock's 10^5)
            flat = torch.cat([p.reshape(-1) for p in primals])
            vflat = torch.cat([t.reshape(-1) for t in tangents])
            shapes = [p.shape for p in primals]

            def unflat(z):
                parts, k = [], 0
                for s in shapes:
                    m = int(np.prod(s))
                    parts.append(z[k:k + m].reshape(s))
                    k += m
                return parts

            def f_flat(z):
                return f(*unflat(z))
            w["functorch.hessian"] = (
                "hvp", lambda: tuple(unflat(functorch.hessian(f_flat)(flat) @ vflat)))
    return w


def rel_diff(kind, result, adjoint):
    if kind == "jvp":
        return abs(float(result) - float(adjoint)) / max(abs(float(adjoint)), 1e-300)
    top = max(float(a.abs().max()) for a in adjoint)
    return max(float((r.detach().reshape(-1) - a).abs().max()) for r, a in zip(result, adjoint)) \
        / max(top, 1e-300)


def per_call(call, seconds):
    def run():
        calls = 0
        start = time.perf_counter()
        while True:
            call()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return elapsed * 1e6 / calls
    run()  # warm-up
    return run()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="directory of SecondOrderTiming dump")
    parser.add_argument("--function", required=True, choices=["rosenbrock", "logistic", "mlp"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--ways", help="only these ways, separated by commas")
    args = parser.parse_args()
    torch.set_default_dtype(torch.float64)
    f, primals, tangents, adjoint_jvp, adjoint_hvp = problem(args.function, args.data)
    all_ways = ways(f, primals, tangents)
    if args.ways:
        all_ways = {k: all_ways[k] for k in args.ways.split(",")}
    best = {"jvp": (float("inf"), None, None), "hvp": (float("inf"), None, None)}
    worst_diff = {"jvp": 0.0, "hvp": 0.0}
    for threads in range(1, args.threads + 1):
        torch.set_num_threads(threads)
        for name, (kind, call) in all_ways.items():
            diff = rel_diff(kind, call(), adjoint_jvp if kind == "jvp" else adjoint_hvp)
            us = per_call(call, args.seconds)
            worst_diff[kind] = max(worst_diff[kind], diff)
            print(f"pytorch function={args.function} way={name} {kind} threads={threads} "
                  f"us={us:.2f} max_rel_diff={diff:.1e}", flush=True)
            if us < best[kind][0]:
                best[kind] = (us, name, threads)
    print(f"pytorch function={args.function} jvp_us={best['jvp'][0]:.2f} "
          f"jvp_way={best['jvp'][1]}@{best['jvp'][2]} hvp_us={best['hvp'][0]:.2f} "
          f"hvp_way={best['hvp'][1]}@{best['hvp'][2]} "
          f"jvp_max_rel_diff={worst_diff['jvp']:.1e} hvp_max_rel_diff={worst_diff['hvp']:.1e}")


if __name__ == "__main__":
    main()
