#!/usr/bin/env bash
# GPU check: builds mi4j against ND4J's CUDA 11.6 backend, prints the device, runs the input-gradient
# check and the inversion benchmarks for softmax, MLP and CNN. Exits non-zero on the first failure.
# Budget: under 8 minutes on a machine with the Maven cache warm (the CUDA jars are ~600 MB cold).
#   bench/gpu-check.sh            # from the repository root
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
step() { echo; echo "=== $*"; }

step "device"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv || echo "nvidia-smi not found"
ls /usr/local/cuda*/lib64/libcublas.so.11* 2>/dev/null || echo "note: no CUDA 11 libcublas.so.11 found on the system (ND4J CUDA 11.6 needs it)"

step "build with -Pgpu (nd4j-cuda-11.6)"
timeout 300 mvn -B -q -Pgpu -DskipTests package
touch experiments/target/.mi4j-build-stamp

step "gradient check on the CUDA backend (NetworkClassifierTest: input gradient vs central differences)"
timeout 120 mvn -B -q -Pgpu -pl core test -Dtest=NetworkClassifierTest -Dsurefire.failIfNoSpecifiedTests=false

# ./mi4j rebuilds when its classpath lacks the natives it expects (oneDNN by default): with
# MI4J_ONEDNN=0 it expects no oneDNN jar, so it keeps and runs the -Pgpu build above.
export MI4J_ONEDNN=0
for model in softmax mlp cnn; do
  step "bench invert --model $model"
  timeout 90 ./mi4j bench invert --model "$model" --targets 40 --steps 30 --warmup 5 --single 2
done
echo; echo "gpu-check: all steps passed"
