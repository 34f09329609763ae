#!/usr/bin/env bash
# Two JVMs side by side on the train CLI: for each round and configuration, the first JVM then
# the second, on the same MNIST files; prints each run's third-epoch rate and, per configuration,
# the median of second / first. Fetches and builds nothing.
#
#   mvn -B -q -DskipTests package
#   MNIST=DIR bench/compare-jdks.sh [ROUNDS=3]
#
# JAVA_A (default java) and JAVA_B (default Temurin 25 under /usr/lib/jvm) are the two JVMs;
# both run with -XX:+UseSerialGC --add-modules jdk.incubator.vector, as the README tells users.
set -euo pipefail

rounds=${1:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/example/target/adjoint-example.jar
java_a=${JAVA_A:-java}
java_b=${JAVA_B:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
mnist=${MNIST:?set MNIST to a directory with the MNIST files (scripts/fetch-mnist.sh DIR)}
[[ -f $jar ]] || { echo "compare-jdks: build $jar first: mvn -B -q -DskipTests package" >&2; exit 2; }

version() { "$1" -version 2>&1 | head -n 1 | cut -d'"' -f2; }
rate() { # java batch threads hidden -> samples/s of the third epoch
  local out
  out=$(mktemp -d)
  "$1" -XX:+UseSerialGC --add-modules jdk.incubator.vector -jar "$jar" train --dataset mnist \
    --data "$mnist" --epochs 3 --batch "$2" --threads "$3" --hidden "$4" --out "$out" 2>/dev/null \
    | sed -n 's/^epoch 3\/3  train loss .* \([0-9.]*\)\([kM]\{0,1\}\) samples\/s$/\1 \2/p' \
    | awk '{ m = $2 == "k" ? 1e3 : ($2 == "M" ? 1e6 : 1); printf "%.0f\n", $1 * m }'
  rm -rf "$out"
}

a=$(version "$java_a")
b=$(version "$java_b")
configs=("64 2 128" "256 2 128" "1 1 128" "64 2 256,128")
declare -A ratios
for ((r = 1; r <= rounds; r++)); do
  for cfg in "${configs[@]}"; do
    read -r batch threads hidden <<<"$cfg"
    ra=$(rate "$java_a" "$batch" "$threads" "$hidden")
    rb=$(rate "$java_b" "$batch" "$threads" "$hidden")
    echo "round $r: batch $batch, $threads threads, hidden $hidden: $a $ra, $b $rb samples/s" >&2
    ratios[$cfg]+="$(awk -v x="$ra" -v y="$rb" 'BEGIN { printf "%.3f ", y / x }')"
  done
done
echo
echo "| model | batch (threads) | $b / $a, median of $rounds rounds | rounds |"
echo "|---|---|---:|---|"
for cfg in "${configs[@]}"; do
  read -r batch threads hidden <<<"$cfg"
  median=$(tr ' ' '\n' <<<"${ratios[$cfg]}" | grep . | sort -g \
    | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  echo "| 784-${hidden//,/-}-10 | $batch ($threads) | $median | ${ratios[$cfg]}|"
done
