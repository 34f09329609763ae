#!/usr/bin/env bash
# throughput.sh DATASET [ROUNDS] [EPOCHS] -- training samples/s of the single-machine train
# command beside adjoint-spark.jar on local[1] and local[2], synchronous and local SGD, on the
# same recipe (the train command's defaults for DATASET: digits batch 32, mnist batch 64).
# Runs alternate, ROUNDS times (default 2), so that a noisy machine disturbs all alike; each
# line is one run: the median over epochs 2.. of the samples/s in its metrics.csv, its ratio to
# the same round's single-machine run, its last test accuracy and the load average before it.
# MNIST is read from $MNIST (scripts/fetch-mnist.sh DIR fetches it).
# Build first: mvn -B -q -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/../.."
dataset=${1:?usage: throughput.sh digits|mnist [ROUNDS] [EPOCHS]}
rounds=${2:-2}
epochs=${3:-3}
java=${JAVA:-java}
args=(--dataset "$dataset" --epochs "$epochs")
if [ "$dataset" = mnist ]; then
  args+=(--data "${MNIST:?set MNIST to the folder of the MNIST files}")
fi
opts=(-XX:+UseSerialGC --add-modules jdk.incubator.vector)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
single=

report() { # name dir load
  python3 - "$1" "$2/metrics.csv" "$3" "$single" <<'PY'
import csv, statistics, sys
name, path, load, single = sys.argv[1:5]
rows = list(csv.DictReader(open(path)))
rates = [float(r["samples_per_second"]) for r in rows[1:]] or [float(rows[0]["samples_per_second"])]
rate = statistics.median(rates)
ratio = f"{rate / float(single):.2f}x" if single else "     "
print(f"{name:<40} {rate:>8.0f} samples/s {ratio}  test acc {100*float(rows[-1]['test_accuracy']):.2f}%  load {load}")
PY
}

run() { # name command...
  local name=$1; shift
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  rm -rf "$out/run"
  "$@" "${args[@]}" --out "$out/run" > "$out/log" 2>&1 || { cat "$out/log"; exit 1; }
  report "$name" "$out/run" "$load"
}

spark=("$java" "${opts[@]}" -jar spark/target/adjoint-spark.jar train)
for ((r = 1; r <= rounds; r++)); do
  echo "-- round $r: $dataset, $epochs epochs"
  single=
  run "single machine (2 threads)" "$java" "${opts[@]}" -jar example/target/adjoint-example.jar train
  single=$(python3 -c 'import csv,statistics,sys; r=list(csv.DictReader(open(sys.argv[1]))); v=[float(x["samples_per_second"]) for x in r[1:]] or [float(r[0]["samples_per_second"])]; print(statistics.median(v))' "$out/run/metrics.csv")
  run "local[2] local SGD K=256 (default)" "${spark[@]}" --spark 'local[2]' --mode local
  run "local[2] local SGD K=128" "${spark[@]}" --spark 'local[2]' --mode local --local-steps 128
  run "local[2] sync, 2 partitions" "${spark[@]}" --spark 'local[2]'
  run "local[1] sync, 1 partition, 2 threads" "${spark[@]}" --spark 'local[1]' --partitions 1 --threads 2
done
