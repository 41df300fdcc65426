# Read after TensorFlow Lite Micro's own Makefile (make -f Makefile -f this file,
# scripts/build-tflm-firmware.sh): per-object flags for the TFLM sources that
# arm-none-eabi-gcc 12.2 with binutils 2.40 cannot build as they are. Only
# objects named here change; every other one is built as TFLM builds it.
# (override: the script sets the optimization levels on make's command line.)

# Cortex-M55 (Armv8.1-M with MVE) at -O2 with NDEBUG: gcc's second if-conversion
# pass puts a conditional float conversion in an IT block (vcvtne.f32.s32),
# which the assembler reads as an MVE instruction and rejects. The kernel is
# not one tinyc's models use; without that pass it assembles.
ifneq ($(filter cortex-m55%,$(TARGET_ARCH)),)
$(KERNEL_OBJDIR)$(TENSORFLOW_ROOT)tensorflow/lite/micro/kernels/resize_nearest_neighbor.o: \
  override KERNEL_OPTIMIZATION_LEVEL += -fno-if-conversion2
endif
