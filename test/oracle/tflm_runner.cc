// A host runner over TensorFlow Lite Micro's interpreter and reference kernels,
// for the oracle tests (test/oracle/tflm.oracle.ts): ops TFLM implements in its
// kernel files rather than in reference headers (SPLIT, UNPACK, PACK, GATHER,
// ...) are checked by running a single-op model through TFLM itself.
// Built by scripts/build-tflm-runner.sh against a tflite-micro checkout.
//
//   tflm_runner model.tflite input.bin output.bin
//
// input.bin holds every model input's bytes, concatenated in input order;
// output.bin receives every output's bytes, concatenated in output order.
#include <cstdio>
#include <cstring>
#include <vector>

#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/schema/schema_generated.h"

namespace {

std::vector<unsigned char> slurp(const char* path) {
  std::vector<unsigned char> bytes;
  if (FILE* f = std::fopen(path, "rb")) {
    unsigned char chunk[4096];
    size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) bytes.insert(bytes.end(), chunk, chunk + n);
    std::fclose(f);
  }
  return bytes;
}

// The builtins tinyc supports (TFLM has no TILE).
bool registerOps(tflite::MicroMutableOpResolver<64>& r) {
  const TfLiteStatus all[] = {
      r.AddAdd(), r.AddAveragePool2D(), r.AddConcatenation(), r.AddConv2D(), r.AddDepthwiseConv2D(),
      r.AddDequantize(), r.AddExpandDims(), r.AddFill(), r.AddFullyConnected(), r.AddGather(),
      r.AddHardSwish(), r.AddLeakyRelu(), r.AddLogSoftmax(), r.AddLogistic(), r.AddMaxPool2D(),
      r.AddMaximum(), r.AddMean(), r.AddMinimum(), r.AddMul(), r.AddPack(), r.AddPad(), r.AddPadV2(),
      r.AddPrelu(), r.AddQuantize(), r.AddReduceMax(), r.AddRelu(), r.AddRelu6(), r.AddReshape(),
      r.AddResizeBilinear(), r.AddResizeNearestNeighbor(), r.AddShape(), r.AddSlice(), r.AddSoftmax(),
      r.AddSpaceToDepth(), r.AddSplit(), r.AddSplitV(), r.AddSqueeze(), r.AddStridedSlice(), r.AddSub(),
      r.AddTanh(), r.AddTranspose(), r.AddUnpack(),
  };
  for (TfLiteStatus s : all) {
    if (s != kTfLiteOk) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: tflm_runner model.tflite input.bin output.bin\n");
    return 1;
  }
  const std::vector<unsigned char> model = slurp(argv[1]), input = slurp(argv[2]);
  static tflite::MicroMutableOpResolver<64> resolver;
  if (model.empty() || !registerOps(resolver)) {
    std::fprintf(stderr, "tflm_runner: cannot read %s or register the ops\n", argv[1]);
    return 1;
  }
  static std::vector<unsigned char> arena(64u << 20);
  tflite::MicroInterpreter interpreter(tflite::GetModel(model.data()), resolver, arena.data(), arena.size());
  if (interpreter.AllocateTensors() != kTfLiteOk) {
    std::fprintf(stderr, "tflm_runner: AllocateTensors failed\n");
    return 2;
  }
  size_t at = 0;
  for (size_t i = 0; i < interpreter.inputs_size(); i++) {
    TfLiteTensor* t = interpreter.input(i);
    if (at + t->bytes > input.size()) {
      std::fprintf(stderr, "tflm_runner: %zu input bytes, the model needs more\n", input.size());
      return 1;
    }
    std::memcpy(t->data.raw, input.data() + at, t->bytes);
    at += t->bytes;
  }
  if (interpreter.Invoke() != kTfLiteOk) {
    std::fprintf(stderr, "tflm_runner: Invoke failed\n");
    return 2;
  }
  FILE* out = std::fopen(argv[3], "wb");
  if (!out) return 1;
  for (size_t i = 0; i < interpreter.outputs_size(); i++) {
    const TfLiteTensor* t = interpreter.output(i);
    std::fwrite(t->data.raw, 1, t->bytes, out);
  }
  std::fclose(out);
  return 0;
}
