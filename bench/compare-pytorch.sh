#!/usr/bin/env bash
# Training throughput of Adjoint against PyTorch on the CPU, measured side by side: for each
# configuration, Adjoint's TrainThroughput and bench/pytorch_mlp.py run alternately for several
# rounds on the same shapes (random inputs of 784 features, 10 classes, SGD lr 0.1), and the table
# shows each side's median samples per second and their ratio. Fetches and builds nothing.
#
#   mvn -B -q -DskipTests package          # once, builds example/target/adjoint-example.jar
#   bench/compare-pytorch.sh [ROUNDS] [SECONDS]
#
# ROUNDS (default 3) alternations per configuration; SECONDS (default 5) of measured steps per
# run and side. JAVA (default java) and JAVA_OPTS choose the JVM; PYTHON (default /usr/bin/python3,
# Debian's python3-torch) the interpreter. PyTorch runs at its best setting on this machine:
# OMP_WAIT_POLICY=PASSIVE, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset. Without PyTorch the
# Adjoint side is still measured.
set -euo pipefail

rounds=${1:-3}
seconds=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/example/target/adjoint-example.jar
java=${JAVA:-java}
python=${PYTHON:-/usr/bin/python3}

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

# batch, threads, hidden widths, the issue's target for Adjoint / PyTorch
configs=("64 2 128 1.2" "256 2 128 0.9" "1 1 128 3" "64 2 256,128 1.0")

median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "nan" }'
}

adjoint() { # batch threads hidden -> generated-step samples/s
  # shellcheck disable=SC2086 # JAVA_OPTS holds several options
  "$java" ${JAVA_OPTS:-} -cp "$jar" dev.adjoint.example.mnist.TrainThroughput "$1" "$2" \
    "$seconds" "$3" | sed -n 's/.*generated samples\/s=\([0-9.]*\).*/\1/p'
}

pytorch() { # batch threads hidden -> samples/s
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE "$python" \
    "$root/bench/pytorch_mlp.py" --batch "$1" --threads "$2" --hidden "$3" \
    --seconds "$seconds" | sed -n 's/.*samples\/s=\([0-9.]*\).*/\1/p'
}

rows=()
for config in "${configs[@]}"; do
  read -r batch threads hidden target <<<"$config"
  a=()
  p=()
  for ((r = 1; r <= rounds; r++)); do
    a+=("$(adjoint "$batch" "$threads" "$hidden")")
    if [[ $torch == yes ]]; then
      p+=("$(pytorch "$batch" "$threads" "$hidden")")
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
echo "Training throughput, samples/s, median of $rounds alternating rounds of ${seconds} s each"
echo
echo "| model | batch (threads) | Adjoint | PyTorch | Adjoint / PyTorch | target |"
echo "|---|---|---:|---:|---:|---|"
for row in "${rows[@]}"; do
  echo "$row"
done
