#!/usr/bin/env bash
# Training throughput of Adjoint against PyTorch on the CPU, measured side by side: for each
# configuration, Adjoint and bench/pytorch_mlp.py run alternately for several rounds on the same
# data (SGD lr 0.1, softmax cross-entropy, ReLU), and the table shows each side's median samples
# per second and their ratio. Fetches and builds nothing.
#
#   mvn -B -q -DskipTests package          # once, builds example/target/adjoint-example.jar
#   bench/compare-pytorch.sh [ROUNDS] [SECONDS]
#   MNIST=DIR bench/compare-pytorch.sh [ROUNDS]   # the train CLI on MNIST (scripts/fetch-mnist.sh)
#
# Without MNIST, both sides train on the same random inputs (784 features, 10 classes): Adjoint's
# TrainThroughput, SECONDS (default 5) of steps per run. With MNIST=DIR, Adjoint is the `train`
# CLI itself on MNIST's training set (3 epochs, the rate of its last epoch's training loop) and
# PyTorch trains on the same files for as long as that epoch took. ROUNDS (default 3)
# alternations per configuration. JAVA (default java) and JAVA_OPTS (default -XX:+UseSerialGC
# --add-modules jdk.incubator.vector: the Vector API kernels, and the collector that leaves the
# cores to them) choose the JVM; PYTHON (default /usr/bin/python3, Debian's python3-torch) the
# interpreter. PyTorch runs at its best setting on this machine: OMP_WAIT_POLICY=PASSIVE,
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, and the better of 1 thread and the
# configuration's threads in each round. Without PyTorch the Adjoint side is still measured.
set -euo pipefail

rounds=${1:-3}
seconds=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/example/target/adjoint-example.jar
java=${JAVA:-java}
java_opts=${JAVA_OPTS--XX:+UseSerialGC --add-modules jdk.incubator.vector}
mnist=${MNIST:-}
python=${PYTHON:-/usr/bin/python3}

if [[ -n $mnist && ! -f $mnist/train-images-idx3-ubyte && ! -f $mnist/train-images-idx3-ubyte.gz ]]
then
  echo "compare-pytorch: no MNIST training images in $mnist; fetch them with" \
    "scripts/fetch-mnist.sh $mnist" >&2
  exit 2
fi
if [[ ! -f $jar ]]; then
  echo "compare-pytorch: $jar is missing; build it first with: mvn -B -q -DskipTests package" >&2
  exit 2
fi
torch=yes
if ! "$python" -c 'import torch' 2>/dev/null; then
  torch=no
  echo "compare-pytorch: PyTorch is not importable by $python (Debian: apt-get install" \
    "python3-torch libopenblas0-pthread); measuring Adjoint only" >&2
fi
# PyTorch at its best needs an optimised BLAS: Debian's python3-torch links the generic
# libblas.so.3, which is the reference BLAS (5-10x slower here) unless OpenBLAS provides it.
if [[ $torch == yes ]]; then
  # The libblas.so.3 that the process mapped, resolved through the alternatives' symlinks.
  blas=$("$python" -c 'import os, torch
torch.ones(64, 64) @ torch.ones(64, 64)
paths = {os.path.realpath(l.split()[-1]) for l in open("/proc/self/maps") if "/" in l}
print(" ".join(sorted(p for p in paths if os.path.basename(p).startswith("libblas"))))' \
    2>/dev/null || true)
  if [[ -n $blas && $blas != *openblas* && $blas != *mkl* ]]; then
    torch=no
    echo "compare-pytorch: PyTorch's BLAS here is not OpenBLAS ($blas), so PyTorch would run far" \
      "below its best and the ratios would flatter Adjoint; measuring Adjoint only (Debian:" \
      "apt-get install libopenblas0-pthread gives PyTorch OpenBLAS)" >&2
  fi
fi

# batch, threads, hidden widths, the issue's target for Adjoint / PyTorch
configs=("64 2 128 1.2" "256 2 128 0.9" "1 1 128 3" "64 2 256,128 1.0")

median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "nan" }'
}

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

adjoint() { # batch threads hidden -> samples/s
  if [[ -z $mnist ]]; then
    # shellcheck disable=SC2086 # the options are several words
    "$java" $java_opts -cp "$jar" dev.adjoint.example.mnist.TrainThroughput "$1" "$2" \
      "$seconds" "$3" | sed -n 's/.*generated samples\/s=\([0-9.]*\).*/\1/p'
    return
  fi
  # The last epoch's summary, "epoch 3/3  train loss ...  2.4 s  26.3k samples/s" (k:
  # thousands, M: millions), not its progress lines, which also show a rate.
  # shellcheck disable=SC2086
  "$java" $java_opts -jar "$jar" train --dataset mnist --data "$mnist" --epochs 3 \
    --batch "$1" --threads "$2" --hidden "$3" --out "$out/run" 2>/dev/null \
    | sed -n 's/^epoch 3\/3  train loss .* \([0-9.]*\)\([kM]\{0,1\}\) samples\/s$/\1 \2/p' \
    | awk '{ print $1 * ($2 == "k" ? 1e3 : $2 == "M" ? 1e6 : 1) }'
}

pytorch() { # batch threads hidden adjoint-rate -> samples/s, the best of 1 and $2 threads
  local data=() time=$seconds best=0 t rate
  if [[ -n $mnist ]]; then
    # As long as Adjoint's epoch took (60,000 examples), at least 2 s.
    data=(--data "$mnist")
    time=$(awk -v a="${4:-0}" 'BEGIN { t = a > 0 ? 60000 / a : 5; print t < 2 ? 2 : t }')
  fi
  # One thread is PyTorch's best setting for some of these shapes here, two for others.
  for t in $(seq 1 "$2"); do
    rate=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE "$python" \
      "$root/bench/pytorch_mlp.py" --batch "$1" --threads "$t" --hidden "$3" \
      --seconds "$time" "${data[@]}" | sed -n 's/.*samples\/s=\([0-9.]*\).*/\1/p')
    best=$(awk -v a="$best" -v b="$rate" 'BEGIN { print (b > a ? b : a) }')
  done
  echo "$best"
}

rows=()
for config in "${configs[@]}"; do
  read -r batch threads hidden target <<<"$config"
  a=()
  p=()
  for ((r = 1; r <= rounds; r++)); do
    a+=("$(adjoint "$batch" "$threads" "$hidden")")
    if [[ $torch == yes ]]; then
      p+=("$(pytorch "$batch" "$threads" "$hidden" "${a[-1]}")")
    fi
    echo "compare-pytorch: 784-${hidden//,/-}-10 batch $batch, $threads threads, round $r:" \
      "adjoint ${a[-1]}${p:+, pytorch ${p[-1]}}" >&2
  done
  am=$(printf '%s\n' "${a[@]}" | median)
  if [[ $torch == yes ]]; then
    pm=$(printf '%s\n' "${p[@]}" | median)
    ratio=$(awk -v a="$am" -v p="$pm" 'BEGIN { printf "%.2f", a / p }')
  else
    pm="-"
    ratio="-"
  fi
  rows+=("$(printf '| 784-%s-10 | %s (%s) | %.0f | %s | %s | >= %s |' "${hidden//,/-}" \
    "$batch" "$threads" "$am" "$pm" "$ratio" "$target")")
done

echo
if [[ -n $mnist ]]; then
  echo "Training throughput on MNIST, samples/s: the train CLI's third epoch against PyTorch" \
    "on the same files, median of $rounds alternating rounds ($java $java_opts)"
else
  echo "Training throughput, samples/s, median of $rounds alternating rounds of ${seconds} s" \
    "each on random inputs ($java $java_opts)"
fi
echo
echo "| model | batch (threads) | Adjoint | PyTorch | Adjoint / PyTorch | target |"
echo "|---|---|---:|---:|---:|---|"
for row in "${rows[@]}"; do
  echo "$row"
done
