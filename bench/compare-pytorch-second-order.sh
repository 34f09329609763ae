#!/usr/bin/env bash
# JVPs and Hessian-vector products of Adjoint against PyTorch on the CPU, in double, side by
# side: the three functions of SecondOrderBenchmark (Rosenbrock n = 100,000; logistic regression
# 1,000 x 100; a 20-32-1 tanh MLP's MSE on 500 examples), the same formulas on the same numbers.
# Adjoint (dev.adjoint.bench.SecondOrderTiming, one thread) writes its inputs and its JVP/HVP
# results to a temporary directory; bench/pytorch_second_order.py reads them, checks PyTorch's
# results against Adjoint's (largest relative difference) and times PyTorch's every way:
# torch.autograd.functional.jvp/hvp/vhp, functorch.jvp, functorch.jvp of functorch.grad
# (forward over reverse), the double-backward trick, ∇f·t by one reverse pass, and
# functorch.hessian where the Hessian is small. For each function the two sides run alternately
# for ROUNDS rounds; the table shows Adjoint's median, PyTorch's median of its fastest way
# and thread count in each round, and their ratio. Fetches and builds nothing.
#
#   mvn -B -q -DskipTests package -pl bench -am   # once, builds bench/target/adjoint-bench.jar
#   bench/compare-pytorch-second-order.sh [ROUNDS=3] [SECONDS=1]
#
# SECONDS is each timing's warm-up and again its measurement (per way and thread count on the
# PyTorch side). JAVA (default java) and JAVA_OPTS (default -XX:+UseSerialGC) choose the JVM;
# PYTHON (default /usr/bin/python3, Debian's python3-torch) the interpreter; THREADS (default 2)
# the most threads PyTorch may use (it runs at 1..THREADS and keeps the fastest). PyTorch runs at
# its best setting on this machine: OMP_WAIT_POLICY=PASSIVE, OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE unset. Without PyTorch the Adjoint side is still measured.
set -euo pipefail

rounds=${1:-3}
seconds=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/bench/target/adjoint-bench.jar
java=${JAVA:-java}
java_opts=${JAVA_OPTS--XX:+UseSerialGC}
python=${PYTHON:-/usr/bin/python3}
threads=${THREADS:-2}

if [[ ! -f $jar ]]; then
  echo "compare-pytorch-second-order: $jar is missing; build it first with:" \
    "mvn -B -q -DskipTests package -pl bench -am" >&2
  exit 2
fi
torch=yes
if ! "$python" -c 'import torch' 2>/dev/null; then
  torch=no
  echo "compare-pytorch-second-order: PyTorch is not importable by $python (Debian: apt-get" \
    "install python3-torch libopenblas0-pthread); measuring Adjoint only" >&2
fi

median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "nan" }'
}
field() { # NAME LINE -> the value of NAME=... in LINE
  sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"
}

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# shellcheck disable=SC2086 # the options are several words
"$java" $java_opts -cp "$jar" dev.adjoint.bench.SecondOrderTiming dump "$out"

declare -A label=(
  [rosenbrock]="Rosenbrock, n = 100,000"
  [logistic]="logistic regression, 1,000 x 100"
  [mlp]="MLP 20-32-1 tanh, MSE, 500 examples")
rows=()
for function in rosenbrock logistic mlp; do
  aj=() ah=() pj=() ph=() ways=() diffs=""
  for ((r = 1; r <= rounds; r++)); do
    # shellcheck disable=SC2086
    line=$("$java" $java_opts -cp "$jar" dev.adjoint.bench.SecondOrderTiming time "$function" \
      "$seconds")
    aj+=("$(field jvp_us "$line")")
    ah+=("$(field hvp_us "$line")")
    if [[ $torch == yes ]]; then
      line=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE "$python" \
        "$root/bench/pytorch_second_order.py" --data "$out" --function "$function" \
        --threads "$threads" --seconds "$seconds" | tee -a "$out/pytorch.log" | tail -n 1)
      pj+=("$(field jvp_us "$line")")
      ph+=("$(field hvp_us "$line")")
      ways+=("jvp $(field jvp_way "$line"), hvp $(field hvp_way "$line")")
      diffs="JVP $(field jvp_max_rel_diff "$line"), HVP $(field hvp_max_rel_diff "$line")"
    fi
    echo "compare-pytorch-second-order: $function round $r: adjoint jvp ${aj[-1]} us," \
      "hvp ${ah[-1]} us${pj:+; pytorch jvp ${pj[-1]} us, hvp ${ph[-1]} us (${ways[-1]})}" >&2
  done
  ajm=$(printf '%s\n' "${aj[@]}" | median)
  ahm=$(printf '%s\n' "${ah[@]}" | median)
  if [[ $torch == yes ]]; then
    pjm=$(printf '%s\n' "${pj[@]}" | median)
    phm=$(printf '%s\n' "${ph[@]}" | median)
    rj=$(awk -v a="$ajm" -v p="$pjm" 'BEGIN { printf "%.1f", p / a }')
    rh=$(awk -v a="$ahm" -v p="$phm" 'BEGIN { printf "%.1f", p / a }')
    way=$(printf '%s\n' "${ways[@]}" | sort | uniq -c | sort -rn | head -n 1 | sed 's/^ *[0-9]* //')
  else
    pjm="-" phm="-" rj="-" rh="-" way="-" diffs="-"
  fi
  rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |' "${label[$function]}" \
    "$ajm" "$pjm" "$rj" "$ahm" "$phm" "$rh" "$way" "$diffs")")
done

echo
echo "JVP and HVP, µs per call (wall clock), median of $rounds alternating rounds of ${seconds} s" \
  "($java $java_opts; PyTorch $("$python" -c 'import torch; print(torch.__version__)' 2>/dev/null ||
  echo absent), at most $threads threads, its fastest way and thread count in each round)"
echo
echo "| function | Adjoint JVP | PyTorch JVP | PyTorch / Adjoint | Adjoint HVP | PyTorch HVP |" \
  "PyTorch / Adjoint | PyTorch's fastest way (@threads) | max relative difference |"
echo "|---|---:|---:|---:|---:|---:|---:|---|---|"
for row in "${rows[@]}"; do
  echo "$row"
done
if [[ $torch == yes ]]; then
  echo
  echo "Every PyTorch way: median µs per call over the $rounds rounds (largest relative difference" \
    "from Adjoint's result)"
  echo
  echo "| function | product | way | threads | µs per call | max relative difference |"
  echo "|---|---|---|---:|---:|---|"
  sed -n 's/^pytorch function=\([^ ]*\) way=\([^ ]*\) \([a-z]*\) threads=\([0-9]*\) us=\([^ ]*\) max_rel_diff=\(.*\)$/\1 \3 \2 \4 \5 \6/p' \
    "$out/pytorch.log" | awk '
      { key = $1 " " $2 " " $3 " " $4; if (!(key in n)) order[++keys] = key
        t[key, ++n[key]] = $5; d[key] = $6 }
      END {
        for (k = 1; k <= keys; k++) {
          key = order[k]; m = n[key]
          for (i = 1; i <= m; i++) v[i] = t[key, i]
          for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
            x = v[j]; v[j] = v[j - 1]; v[j - 1] = x }
          split(key, f, " ")
          printf "| %s | %s | %s | %s | %.0f | %s |\n", f[1], f[2], f[3], f[4], v[int((m + 1) / 2)], d[key]
        }
      }'
fi
