#!/usr/bin/env bash
# Installs what tinyc needs on a fresh Debian/Ubuntu machine: the Arm GNU
# toolchain with newlib (and its C++ library), QEMU for Arm, a host C compiler, make and cmake, then the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v arm-none-eabi-gcc >/dev/null 2>&1 || need+=(gcc-arm-none-eabi)
[ -e /usr/lib/arm-none-eabi/newlib/libc.a ] || [ -e /usr/lib/arm-none-eabi/lib/libc.a ] || need+=(libnewlib-arm-none-eabi)
# C++ headers and library for Arm: the TensorFlow Lite Micro firmware the bench builds (scripts/build-tflm-firmware.sh).
[ -d /usr/include/newlib/c++ ] || need+=(libstdc++-arm-none-eabi-newlib)
command -v qemu-system-arm >/dev/null 2>&1 || need+=(qemu-system-arm)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
command -v make >/dev/null 2>&1 || need+=(make)
# The generated CMakeLists.txt is built in the tests.
command -v cmake >/dev/null 2>&1 || need+=(cmake)
# Browser tests (the arena report) use Debian's Chromium through playwright-core.
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ "${#need[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${need[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi
npm ci --no-audit --no-fund
