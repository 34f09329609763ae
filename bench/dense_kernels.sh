#!/bin/sh
# The dense kernels side by side, in one run: Adjoint's scalar kernels, its Vector API kernels
# and OpenBLAS (through PyTorch, skipped when absent), one batch size at a time, alternately.
# Usage (after mvn -B -q -DskipTests package): bench/dense_kernels.sh [threads] [batches...]
set -e
cd "$(dirname "$0")/.."
threads=${1:-2}
[ $# -gt 0 ] && shift
batches=${*:-1 64 256}
jar=bench/target/adjoint-bench.jar
for batch in $batches; do
  java -Dadjoint.ops.kernels=scalar -cp "$jar" dev.adjoint.bench.DenseKernels "$threads" "$batch"
  java --add-modules jdk.incubator.vector -cp "$jar" dev.adjoint.bench.DenseKernels \
    "$threads" "$batch"
  if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE \
      /usr/bin/python3 bench/dense_kernels.py "$threads" "$batch"
  else
    echo "# OpenBLAS skipped: /usr/bin/python3 cannot import torch (apt-get install python3-torch)"
  fi
done
