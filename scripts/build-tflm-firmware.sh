#!/usr/bin/env bash
# Builds TensorFlow Lite Micro firmware for tinyc's QEMU machines, to measure
# TFLM beside tinyc on the same model and input: TFLM's library with its own
# Makefile (TARGET=cortex_m_generic, reference or CMSIS-NN kernels), built once
# per (core, kernels) and kept in OUT/lib, then scripts/tflm-firmware/runner.cc
# with tinyc's startup.c and link.ld (templates/firmware), the model and the
# input linked in as const data. Nothing of TFLM enters tinyc: the trees and
# everything built stay where they are given.
#
#   scripts/build-tflm-firmware.sh CORE KERNELS MODEL.tflite INPUT.bin OUT
#
#   CORE     a targets/*.json name with a QEMU machine (cortex-m4, cortex-m7, cortex-m33, cortex-m55, ...)
#   KERNELS  reference | cmsis-nn
#   INPUT    the input tensor's raw bytes (int8)
#   OUT      output folder (outside the project): OUT/lib/CORE-KERNELS (the cached library),
#            OUT/MODEL-CORE-KERNELS/firmware.elf (printed as the last line)
#
# Environment:
#   TFLM_ROOT         a tensorflow/tflite-micro checkout
#   CMSIS_ROOT        ARM-software/CMSIS_6 (or CMSIS_5) checkout: the core headers
#   CMSIS_NN_ROOT     ARM-software/CMSIS-NN checkout (KERNELS=cmsis-nn)
#   CORTEX_DFP_ROOT   ARM-software/Cortex_DFP checkout (device headers TFLM's cortex_m_generic
#                     includes); default CMSIS_ROOT/Cortex_DFP, or CMSIS_5's Device/ARM
#   TFLM_OPS          the model's operators as TFLite builtin names (CONV_2D,DEPTHWISE_CONV_2D,...);
#                     default: read from the model by tinyc (needs dist/, npm run build)
#   TFLM_ARENA_BYTES  TFLM's arena (default: the part's RAM less 24 KiB)
#   JOBS              parallel compiles for the library (default 2)
#
# The cached library is rebuilt when the make variables or tree paths change;
# delete OUT/lib to rebuild after changing a tree in place. TFLM's Makefile
# takes flatbuffers, gemmlowp, ruy, kissfft and pigweed from
# TFLM_ROOT/tensorflow/lite/micro/tools/make/downloads (it downloads them there
# on first use when online) and runs python3 with numpy and PIL while it reads
# its example rules (Debian: python3-numpy python3-pil). C++ needs the Arm
# toolchain's libstdc++ (Debian: libstdc++-arm-none-eabi-newlib).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
usage="usage: $0 CORE reference|cmsis-nn MODEL.tflite INPUT.bin OUT"
[ $# -eq 5 ] || { echo "$usage" >&2; exit 2; }
core="$1" kernels="$2" model="$(realpath "$3")" input="$(realpath "$4")"
mkdir -p "$5"
out="$(realpath "$5")"
case "$kernels" in reference | cmsis-nn) ;; *) echo "$usage" >&2; exit 2 ;; esac
json="$here/targets/$core.json"
[ -f "$json" ] || { echo "no target $core (targets/$core.json)" >&2; exit 2; }
tflm="$(realpath "${TFLM_ROOT:?set TFLM_ROOT to a tensorflow/tflite-micro checkout}")"
cmsis="$(realpath "${CMSIS_ROOT:?set CMSIS_ROOT to an ARM-software/CMSIS_6 or CMSIS_5 checkout}")"
if [ "$kernels" = cmsis-nn ]; then
  cmsis_nn="$(realpath "${CMSIS_NN_ROOT:?set CMSIS_NN_ROOT to an ARM-software/CMSIS-NN checkout}")"
fi
gcc_dir="$(dirname "$(command -v arm-none-eabi-gcc)")/"

# A field of the target's JSON (arrays joined by spaces).
field() {
  node -e 'const v = process.argv[2].split(".").reduce((o, k) => o?.[k], require(process.argv[1]));
    if (v === undefined) process.exit(1); console.log(Array.isArray(v) ? v.join(" ") : v)' "$json" "$1"
}
read -r -a cflags <<<"$(field cflags)"
cpu="$(field cpu)"
field qemu.machine >/dev/null || { echo "$core has no QEMU machine" >&2; exit 2; }

# TFLM's TARGET_ARCH and FPU for the target's flags (hard float where the core has an FPU).
tflm_arch() {
  local hard=""
  [[ " ${cflags[*]} " == *" -mfloat-abi=hard "* ]] && hard=1
  case "$cpu" in
    cortex-m4 | cortex-m7) echo "$cpu${hard:++fp}" ;;
    cortex-m33 | cortex-m55 | cortex-m3) echo "$cpu" ;;
    *) echo "no TFLM cortex_m_generic TARGET_ARCH for $cpu" >&2; exit 2 ;;
  esac
}
arch="$(tflm_arch)"
fpu=""
for f in "${cflags[@]}"; do [[ "$f" == -mfpu=* ]] && fpu="${f#-mfpu=}"; done

# The device headers (ARMCMx.h) TFLM's cortex_m_generic/micro_time.cc includes.
device_headers() {
  if [ -n "${CORTEX_DFP_ROOT:-}" ]; then realpath "$CORTEX_DFP_ROOT"
  elif [ -d "$cmsis/Cortex_DFP/Device" ]; then echo "$cmsis/Cortex_DFP"
  elif [ -d "$cmsis/Device/ARM" ]; then # CMSIS_5: Device/ARM/ARMCMx, where TFLM looks in Device/ARMCMx
    mkdir -p "$out/lib/cmsis5-device" && ln -sfn "$cmsis/Device/ARM" "$out/lib/cmsis5-device/Device"
    echo "$out/lib/cmsis5-device"
  else
    echo "no Cortex-M device headers: set CORTEX_DFP_ROOT to an ARM-software/Cortex_DFP checkout" >&2; exit 2
  fi
}
dfp="$(device_headers)"

lib="$out/lib/$core-$kernels"
make_vars=(
  TARGET=cortex_m_generic "TARGET_ARCH=$arch" "FPU=$fpu" "CMSIS_PATH=$cmsis" "CORTEX_DFP_PATH=$dfp"
  "TARGET_TOOLCHAIN_ROOT=$gcc_dir" "BASE_GENDIR=$lib/gen"
  CORE_OPTIMIZATION_LEVEL=-O2 KERNEL_OPTIMIZATION_LEVEL=-O2 THIRD_PARTY_KERNEL_OPTIMIZATION_LEVEL=-O2
  # NDEBUG, error messages kept: the default build keeps TFLITE_DCHECK, which checks every index
  # the reference kernels compute (RuntimeShape::Offset) and makes them about 5 times slower.
  BUILD_TYPE=release_with_logs
  # The examples, tests and benchmarks are not built; naming none skips generating their data.
  MICRO_LITE_EXAMPLE_TESTS= MICRO_LITE_INTEGRATION_TESTS= MICRO_LITE_GEN_MUTABLE_OP_RESOLVER_TEST=
  MICRO_LITE_LAYER_BY_LAYER_OUTPUT= OLD_MICRO_LITE_BENCHMARKS= MICRO_LITE_BENCHMARKS=
)
[ "$kernels" = cmsis-nn ] && make_vars+=(OPTIMIZED_KERNEL_DIR=cmsis_nn "CMSIS_NN_PATH=$cmsis_nn")
workarounds="$here/scripts/tflm-firmware/workarounds.mk"
tflm_make() { make -C "$tflm" -f tensorflow/lite/micro/tools/make/Makefile -f "$workarounds" "${make_vars[@]}" "$@"; }

# TFLM's library for (core, kernels), once: kept while its make variables, trees and workarounds are the same.
build_library() {
  local stamp
  stamp="$(printf '%s\n' "TFLM_ROOT=$tflm" "${make_vars[@]}" "workarounds.mk $(sha256sum <"$workarounds" | cut -c1-16)")"
  if [ -f "$lib/libtensorflow-microlite.a" ] && [ "$(cat "$lib/stamp" 2>/dev/null)" = "$stamp" ]; then
    echo "TFLM library: $lib (cached)" >&2
    return
  fi
  rm -rf "$lib" && mkdir -p "$lib"
  local started=$SECONDS
  echo "building TFLM's library for $core with $kernels kernels (-j${JOBS:-2}) in $lib" >&2
  tflm_make -j"${JOBS:-2}" microlite >"$lib/build.log" 2>&1 || { tail -30 "$lib/build.log" >&2; exit 1; }
  cp "$lib"/gen/*/lib/libtensorflow-microlite.a "$lib/"
  # TFLM's own C++ flags and include folders (relative to TFLM_ROOT), for the runner.
  tflm_make -s print-CXXFLAGS print-INCLUDES | grep -E '^(CXXFLAGS|INCLUDES)=' >"$lib/flags"
  echo "$stamp" >"$lib/stamp"
  echo "TFLM library built in $((SECONDS - started)) s" >&2
}

# Every target flag must be in TFLM's: the library is built as tinyc's code is.
check_flags() {
  local f
  for f in "${cflags[@]}"; do
    [[ " ${tflm_cxxflags[*]} " == *" $f "* ]] || { echo "TFLM's flags lack $f (targets/$core.json): ${tflm_cxxflags[*]}" >&2; exit 1; }
  done
}

# The model's operators as MicroMutableOpResolver methods: CONV_2D -> Conv2D, RELU6 -> Relu6.
resolver_ops() {
  local ops="${TFLM_OPS:-}" op part lower name
  if [ -z "$ops" ]; then
    ops="$(node --input-type=module -e 'const { modelOperators } = await import(process.argv[1]);
      console.log(modelOperators(process.argv[2]).join(","))' "$here/dist/bench/tflm.js" "$model")"
  fi
  for op in ${ops//,/ }; do
    case "$op" in
      UNIDIRECTIONAL_SEQUENCE_LSTM) name=UnidirectionalSequenceLSTM ;;
      *) name=""
        for part in ${op//_/ }; do
          lower="${part,,}"
          if [[ "$part" =~ ^[0-9]D$ ]]; then name+="$part"; else name+="${part:0:1}${lower:1}"; fi
        done ;;
    esac
    echo "TFLM_OP($name)"
  done
}

# The memory map and sizes of the target's part, as tinyc's firmware has them.
write_link_script() {
  sed -e "s/{{FLASH_ORIGIN}}/$(field memory.flashOrigin)/" -e "s/{{FLASH_BYTES}}/$(field part.flashBytes)/" \
    -e "s/{{RAM_ORIGIN}}/$(field memory.ramOrigin)/" -e "s/{{RAM_BYTES}}/$(field part.ramBytes)/" \
    -e "s/{{STACK_BYTES}}/8192/" "$here/templates/firmware/link.ld" >"$1/link.ld"
}

# The model and the input as const data, 16-byte aligned.
write_data() {
  cp "$model" "$1/model.tflite" && cp "$input" "$1/input.bin"
  cat >"$1/model.S" <<EOF
    .section .rodata.tflm_model, "a"
    .balign 16
    .global tflm_model, tflm_model_end
tflm_model:
    .incbin "$1/model.tflite"
tflm_model_end:
    .section .rodata.tflm_input, "a"
    .balign 16
    .global tflm_input, tflm_input_end
tflm_input:
    .incbin "$1/input.bin"
tflm_input_end:
EOF
}

build_firmware() {
  local fw="$out/$(basename "$model" .tflite)-$core-$kernels" ops
  rm -rf "$fw" && mkdir -p "$fw"
  resolver_ops >"$fw/tflm_ops.inc"
  ops="$(wc -l <"$fw/tflm_ops.inc")"
  [ "$ops" -gt 0 ] || { echo "no operators for the resolver (TFLM_OPS)" >&2; exit 1; }
  write_link_script "$fw"
  write_data "$fw"
  local ram arena
  ram="$(field part.ramBytes)"
  arena="${TFLM_ARENA_BYTES:-$((ram - 24576))}"
  (cd "$tflm" && "${gcc_dir}arm-none-eabi-g++" "${tflm_cxxflags[@]}" -O2 "${tflm_includes[@]}" \
    -I"$here/templates/firmware" -I"$fw" -DTFLM_OP_COUNT="$ops" -DTFLM_ARENA_BYTES="$arena" \
    -c "$here/scripts/tflm-firmware/runner.cc" -o "$fw/runner.o")
  "${gcc_dir}arm-none-eabi-gcc" "${cflags[@]}" -O2 -std=c99 -ffunction-sections -fdata-sections \
    -I"$here/templates/firmware" -c "$here/templates/firmware/startup.c" -o "$fw/startup.o"
  "${gcc_dir}arm-none-eabi-gcc" "${cflags[@]}" -c "$fw/model.S" -o "$fw/model.o"
  "${gcc_dir}arm-none-eabi-g++" "${cflags[@]}" -nostartfiles --specs=nano.specs -Wl,--gc-sections \
    -Wl,-Map="$fw/firmware.map" -T "$fw/link.ld" -o "$fw/firmware.elf" \
    "$fw/runner.o" "$fw/startup.o" "$fw/model.o" "$lib/libtensorflow-microlite.a" -lm -lc -lgcc
  "${gcc_dir}arm-none-eabi-nm" "$fw/firmware.elf" | grep ' tinyc_cycle_marks$' >/dev/null ||
    { echo "firmware.elf does not define tinyc_cycle_marks" >&2; exit 1; }
  echo "$fw/firmware.elf"
}

mkdir -p "$out/lib"
exec 9>"$out/lib/$core-$kernels.lock"
flock 9 # one build of a library at a time
build_library
eval "$(sed -n 's/^CXXFLAGS=/tflm_cxxflags=(/p; s/^INCLUDES=/tflm_includes=(/p' "$lib/flags" | sed 's/$/)/')"
check_flags
build_firmware
