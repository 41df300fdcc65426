#!/usr/bin/env bash
# Validates tinyc's cycle model against published measurements (README,
# "Cycles and time" > "Validation"): CoreMark from your EEMBC checkout, built
# with our port (scripts/coremark-port) for the cortex-m4, -m33, -m7 and -m55
# QEMU machines with the flags the published GCC figures state, run under the
# cycle model; prints cycles per iteration and CoreMark/MHz beside the figures.
#
#   scripts/validate-cycles.sh COREMARK_ROOT [--cores a,b] [--opts "-O2;-O3"] [--iterations N] [--vww CORE=ELF]... [--json]
#
#   COREMARK_ROOT  a checkout of github.com/eembc/coremark (read only; nothing of it is copied into tinyc)
#   --vww CORE=ELF firmware bracketing one vww_96_int8 inference with tinyc_cycle_marks[0]/[1]
#                  (scripts/build-tflm-firmware.sh), compared with the MLPerf Tiny latencies
#
# Builds and runs one at a time (two cores, others may be compiling). Needs
# arm-none-eabi-gcc, qemu-system-arm and the host's cc (the plugin); builds
# dist/ first when it is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -ge 1 ] || { sed -n 8,12p "$0" >&2; exit 2; }
[ -f "$here/dist/bench/validate.js" ] || (cd "$here" && npm run build >/dev/null)
exec node "$here/dist/bench/validate.js" "$@"
