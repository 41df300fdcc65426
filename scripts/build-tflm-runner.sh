#!/usr/bin/env bash
# Builds the TensorFlow Lite Micro runner the oracle tests use (npm run test:oracle
# with TFLM_RUN set): TFLM's host library with its own Makefile (reference
# kernels), then test/oracle/tflm_runner.cc linked against it. Nothing of TFLM
# enters tinyc; the runner is written outside the project.
#
#   scripts/build-tflm-runner.sh TFLM_ROOT [OUT]     (OUT defaults to TFLM_ROOT/tinyc_tflm_runner)
#
# TFLM's Makefile downloads its third-party code (flatbuffers, gemmlowp, ruy,
# kissfft) into tensorflow/lite/micro/tools/make/downloads on first use, and
# needs python3 with numpy and PIL (Debian: python3-numpy python3-pil).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tflm="$(cd "${1:?usage: $0 TFLM_ROOT [OUT]}" && pwd)"
out="${2:-$tflm/tinyc_tflm_runner}"
make -C "$tflm" -f tensorflow/lite/micro/tools/make/Makefile -j"${JOBS:-2}" microlite
gen="$(ls -d "$tflm"/gen/linux_x86_64_default* | head -1)"
dl="$tflm/tensorflow/lite/micro/tools/make/downloads"
g++ -std=c++17 -O2 -fno-rtti -fno-exceptions -DTF_LITE_STATIC_MEMORY \
  -I"$tflm" -I"$dl/flatbuffers/include" -I"$dl/gemmlowp" -I"$gen/genfiles" \
  "$here/test/oracle/tflm_runner.cc" "$gen/lib/libtensorflow-microlite.a" -lm -o "$out"
echo "built $out"
