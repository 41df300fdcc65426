/**
 * TensorFlow Lite Micro's own reference kernels as an independent oracle
 * (`npm run test:oracle`, not part of `npm test`: it needs checkouts the
 * machine may not have). With TFLM_ROOT (tflite-micro) and GEMMLOWP_ROOT
 * (gemmlowp), random single-op cases run through TFLM's reference functions,
 * compiled on the host with g++ and fed tinyc's prepared parameters; their
 * outputs must equal tinyc's reference. The multiplier computation is checked
 * against TFLM's QuantizeMultiplier too. Nothing of TFLM is kept.
 */
import { execa } from "execa";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../../src/compile.js";
import { elementCount, scalarQuant, type Graph } from "../../src/compiler/ir.js";
import { constInt32, constInt8, indexValues } from "../../src/compiler/ops/common.js";
import type { ConvParams } from "../../src/compiler/ops/conv2d.js";
import type { AddParams } from "../../src/compiler/ops/add.js";
import type { HardSwishParams } from "../../src/compiler/ops/hard_swish.js";
import type { LogisticParams } from "../../src/compiler/ops/logistic.js";
import type { MulParams } from "../../src/compiler/ops/mul.js";
import { runReference } from "../../src/compiler/reference.js";
import { quantizeMultiplier } from "../../src/compiler/numerics/quantize.js";
import { CONV_GENERATORS, ELEMENTWISE_GENERATORS } from "../generators.js";
import { generateCases, Random, type HostCase } from "../host-kernels.js";
import { writeTflite } from "../../src/compiler/tflite/writer.js";
import { dataBytes } from "../../src/compiler/ir.js";

const TFLM = process.env.TFLM_ROOT;
const GEMMLOWP = process.env.GEMMLOWP_ROOT;
const available = Boolean(TFLM && GEMMLOWP && existsSync(join(TFLM, "tensorflow/lite/kernels/internal/common.h")) && existsSync(join(GEMMLOWP, "fixedpoint/fixedpoint.h")));
const WHY = "set TFLM_ROOT and GEMMLOWP_ROOT to tflite-micro and gemmlowp checkouts (see the README's testing section)";
const RUNNER = process.env.TFLM_RUN;
const WHY_RUNNER = "set TFLM_RUN to a runner built by scripts/build-tflm-runner.sh (see the README's testing section)";
const CASES = 200;

const arr = (type: string, name: string, data: ArrayLike<number>) => `static const ${type} ${name}[${Math.max(1, data.length)}] = {${Array.from(data).join(",")}};`;
const shape = (s: readonly number[]) => `[] { static const int32_t d[] = {${s.join(",") || "1"}}; return tflite::RuntimeShape(${s.length}, d); }()`;

/** C++ that computes case `i` with TFLM and prints its output as hex. */
function caseCode(k: HostCase): string {
  const c = compile(k.graph, { target: "cortex-m4" });
  const g: Graph = c.graph;
  const node = g.nodes[0]!;
  const p = c.prepared.params.get(0);
  const out = g.tensors[node.outputs[0]!]!;
  const n = elementCount(out.shape);
  const operand = (j: number) => {
    const t = g.tensors[node.inputs[j]!]!;
    return t.data ? constInt8(t) : k.input;
  };
  const ctype = (id: number) => (g.tensors[id]!.dtype === "uint8" ? "uint8_t" : "int8_t");
  const lines = [`{`, arr(ctype(node.inputs[0]!), "x", operand(0)), `static ${ctype(out.id)} out[${n}];`];
  const s = (j: number) => shape(g.tensors[node.inputs[j]!]!.shape);
  switch (node.kind) {
    case "ADD":
    case "SUB":
    case "MUL": {
      const q = p as AddParams & MulParams;
      lines.push(arr("int8_t", "y", operand(1)), "tflite::ArithmeticParams ap = {};",
        `ap.input1_offset = ${q.input1Offset}; ap.input2_offset = ${q.input2Offset}; ap.output_offset = ${q.outputOffset};`,
        `ap.quantized_activation_min = ${q.actMin}; ap.quantized_activation_max = ${q.actMax};`);
      if (node.kind !== "MUL") {
        lines.push(`ap.left_shift = 20; ap.input1_multiplier = ${q.input1.multiplier}; ap.input1_shift = ${q.input1.shift};`,
          `ap.input2_multiplier = ${q.input2.multiplier}; ap.input2_shift = ${q.input2.shift};`,
          `ap.output_multiplier = ${q.output.multiplier}; ap.output_shift = ${q.output.shift};`,
          node.kind === "ADD" ? `tflite::reference_integer_ops::BroadcastAdd6DSlow(ap, ${s(0)}, x, ${s(1)}, y, ${shape(out.shape)}, out);`
            : `tflite::reference_ops::BroadcastQuantSubSlow<int8_t>(ap, ${s(0)}, x, ${s(1)}, y, ${shape(out.shape)}, out);`);
      } else {
        lines.push(`ap.output_multiplier = ${q.output.multiplier}; ap.output_shift = ${q.output.shift};`,
          `tflite::reference_integer_ops::BroadcastMul6DSlow(ap, ${s(0)}, x, ${s(1)}, y, ${shape(out.shape)}, out);`);
      }
      break;
    }
    case "HARD_SWISH": {
      const q = p as HardSwishParams;
      lines.push("tflite::HardSwishParams hp;", `hp.input_zero_point = ${q.inputZeroPoint}; hp.output_zero_point = ${q.outputZeroPoint};`,
        `hp.reluish_multiplier_fixedpoint_int16 = ${q.reluishMultiplier}; hp.reluish_multiplier_exponent = ${q.reluishExponent};`,
        `hp.output_multiplier_fixedpoint_int16 = ${q.outputMultiplier}; hp.output_multiplier_exponent = ${q.outputExponent};`,
        `tflite::reference_ops::HardSwish<int8_t>(hp, ${s(0)}, x, ${shape(out.shape)}, out);`);
      break;
    }
    case "LOGISTIC": {
      const q = p as LogisticParams;
      lines.push(`tflite::reference_integer_ops::Logistic(${q.inputZeroPoint}, ${q.inputRangeRadius}, ${q.inputMultiplier}, ${q.inputLeftShift}, ${n}, x, out);`);
      break;
    }
    case "TANH": {
      const q = p as LogisticParams;
      lines.push(`tflite::reference_integer_ops::Tanh(${q.inputZeroPoint}, ${q.inputRangeRadius}, ${q.inputMultiplier}, ${q.inputLeftShift}, ${s(0)}, x, ${shape(out.shape)}, out);`);
      break;
    }
    case "LOG_SOFTMAX": {
      // The multipliers as log_softmax.cc's Prepare computes them, from the input scale.
      const inT = g.tensors[node.inputs[0]!]!;
      const depth = inT.shape[inT.shape.length - 1]!;
      lines.push("tflite::SoftmaxParams sp = {}; int ls, rls;",
        `tflite::PreprocessLogSoftmaxScalingExp(1.0, static_cast<double>(${scalarQuant(inT).scale.toPrecision(9)}f), 5, &sp.input_multiplier, &ls, &sp.reverse_scaling_divisor, &rls);`,
        "sp.input_left_shift = ls; sp.reverse_scaling_right_shift = -rls; sp.diff_min = -tflite::CalculateInputRadius(5, ls);",
        `tflite::reference_ops::LogSoftmax(sp, ${n / depth}, ${depth}, ${s(0)}, x, ${shape(out.shape)}, out);`);
      break;
    }
    case "SLICE": {
      const [b0, z0] = [1, 2].map((j) => [...indexValues(g.tensors[node.inputs[j]!]!)]);
      lines.push("tflite::SliceParams sp = {};", `sp.begin_count = sp.size_count = ${b0!.length};`,
        ...b0!.map((v, d) => `sp.begin[${d}] = ${v}; sp.size[${d}] = ${z0![d]};`),
        `tflite::reference_ops::Slice<int8_t>(sp, ${s(0)}, x, ${shape(out.shape)}, out);`);
      break;
    }
    case "PAD":
    case "PADV2": {
      const pads = [...indexValues(g.tensors[node.inputs[1]!]!)];
      const value = node.kind === "PADV2" ? operand(2)[0]! : scalarQuant(out).zeroPoint;
      lines.push("tflite::PadParams pp = {};", `pp.left_padding_count = pp.right_padding_count = ${pads.length / 2};`,
        ...Array.from({ length: pads.length / 2 }, (_, d) => `pp.left_padding[${d}] = ${pads[2 * d]}; pp.right_padding[${d}] = ${pads[2 * d + 1]};`),
        `const int8_t pad_value = ${value};`,
        `tflite::reference_ops::Pad(pp, ${s(0)}, x, &pad_value, ${shape(out.shape)}, out);`);
      break;
    }
    case "MEAN": {
      const inT = g.tensors[node.inputs[0]!]!;
      const axes = indexValues(g.tensors[node.inputs[1]!]!);
      const qi = scalarQuant(inT), qo = scalarQuant(out);
      lines.push(`int in_dims[] = {${inT.shape.join(",")}}; int out_dims[] = {${out.shape.join(",")}}; int axis[] = {${[...axes].join(",")}};`,
        "int temp_index[6]; int resolved_axis[6]; static int32_t temp_sum[" + n + "];",
        "int32_t m; int sh;",
        `tflite::QuantizeMultiplier(static_cast<double>(${qi.scale.toPrecision(9)}f) / static_cast<double>(${qo.scale.toPrecision(9)}f), &m, &sh);`,
        `tflite::reference_ops::QuantizedMeanOrSum<int8_t, int32_t>(x, ${qi.zeroPoint}, in_dims, ${inT.shape.length}, out, m, sh, ${qo.zeroPoint}, out_dims, ${out.shape.length}, axis, ${axes.length}, ${node.options.keepDims}, temp_index, resolved_axis, temp_sum, false);`);
      break;
    }
    case "CONV_2D":
    case "DEPTHWISE_CONV_2D": {
      const q = p as ConvParams & { depthMultiplier?: number };
      const g2 = q.geo;
      const filter = g.tensors[node.inputs[1]!]!;
      const biasId = node.inputs[2] ?? -1;
      const bias = biasId >= 0 ? constInt32(g.tensors[biasId]!) : new Int32Array(g2.outC);
      const type = node.kind === "CONV_2D" ? "ConvParams" : "DepthwiseParams";
      lines.push(arr("int8_t", "w", constInt8(filter)), arr("int32_t", "bias", bias), arr("int32_t", "mult", q.multiplier), arr("int32_t", "shift", q.shift),
        `tflite::${type} cp = {};`, `cp.padding_values.width = ${g2.padLeft}; cp.padding_values.height = ${g2.padTop};`,
        `cp.stride_width = ${g2.strideW}; cp.stride_height = ${g2.strideH}; cp.dilation_width_factor = ${g2.dilW}; cp.dilation_height_factor = ${g2.dilH};`,
        `cp.input_offset = ${q.inputOffset}; cp.output_offset = ${q.outputOffset}; cp.quantized_activation_min = ${q.actMin}; cp.quantized_activation_max = ${q.actMax};`,
        ...(node.kind === "DEPTHWISE_CONV_2D" ? [`cp.depth_multiplier = ${q.depthMultiplier};`] : []),
        `tflite::reference_integer_ops::${node.kind === "CONV_2D" ? "ConvPerChannel" : "DepthwiseConvPerChannel"}(cp, mult, shift, ${s(0)}, x, ${shape(filter.shape)}, w, ${shape([g2.outC])}, bias, ${shape(out.shape)}, out);`);
      break;
    }
    case "MAXIMUM":
    case "MINIMUM": {
      lines.push(arr("int8_t", "y", operand(1)),
        `tflite::reference_ops::MaximumMinimumBroadcastSlow(${s(0)}, x, ${s(1)}, y, ${shape(out.shape)}, out, [](int8_t a, int8_t b) { return ${node.kind === "MAXIMUM" ? "a > b ? a : b" : "a < b ? a : b"}; });`);
      break;
    }
    case "REDUCE_MAX": {
      const inT = g.tensors[node.inputs[0]!]!;
      const axes = indexValues(g.tensors[node.inputs[1]!]!);
      lines.push(`int in_dims[] = {${inT.shape.join(",")}}; int out_dims[] = {${out.shape.join(",")}}; int axis[] = {${[...axes].join(",")}};`,
        "int temp_index[6]; int resolved_axis[6];",
        `tflite::reference_ops::ReduceGeneric<int8_t>(x, in_dims, ${inT.shape.length}, out, out_dims, ${out.shape.length}, axis, ${axes.length}, ${(node.options as { keepDims: boolean }).keepDims}, temp_index, resolved_axis, std::numeric_limits<int8_t>::lowest(), [](const int8_t current, const int8_t in) -> int8_t { return in > current ? in : current; });`);
      break;
    }
    case "LEAKY_RELU": {
      // Multipliers as leaky_relu_common.cc computes them: float arithmetic on the scales and alpha.
      const qi = scalarQuant(g.tensors[node.inputs[0]!]!), qo = scalarQuant(out);
      const alpha = (node.options as { alpha: number }).alpha;
      lines.push("tflite::LeakyReluParams lp; int32_t m; int sh;", `const float si = ${qi.scale.toPrecision(9)}f, so = ${qo.scale.toPrecision(9)}f, alpha = ${alpha.toPrecision(9)}f;`,
        "tflite::QuantizeMultiplier(static_cast<double>(si * alpha / so), &m, &sh); lp.output_multiplier_alpha = m; lp.output_shift_alpha = sh;",
        "tflite::QuantizeMultiplier(static_cast<double>(si / so), &m, &sh); lp.output_multiplier_identity = m; lp.output_shift_identity = sh;",
        `lp.input_offset = ${qi.zeroPoint}; lp.output_offset = ${qo.zeroPoint};`,
        `tflite::reference_ops::QuantizeLeakyRelu(lp, ${s(0)}, x, ${shape(out.shape)}, out);`);
      break;
    }
    case "PRELU": {
      const qi = scalarQuant(g.tensors[node.inputs[0]!]!), qa = scalarQuant(g.tensors[node.inputs[1]!]!), qo = scalarQuant(out);
      lines.push(arr("int8_t", "y", operand(1)), "tflite::PreluParams pp; int32_t m; int sh;",
        `const double si = ${qi.scale.toPrecision(9)}f, sa = ${qa.scale.toPrecision(9)}f, so = ${qo.scale.toPrecision(9)}f;`,
        "tflite::QuantizeMultiplier(si / so, &m, &sh); pp.output_multiplier_1 = m; pp.output_shift_1 = sh;",
        "tflite::QuantizeMultiplier(si * sa / so, &m, &sh); pp.output_multiplier_2 = m; pp.output_shift_2 = sh;",
        `pp.input_offset = ${-qi.zeroPoint}; pp.alpha_offset = ${-qa.zeroPoint}; pp.output_offset = ${qo.zeroPoint};`,
        `tflite::reference_ops::BroadcastPrelu4DSlow(pp, ${s(0)}, x, ${s(1)}, y, ${shape(out.shape)}, out);`);
      break;
    }
    case "RESIZE_BILINEAR": {
      const o = node.options as { alignCorners: boolean; halfPixelCenters: boolean };
      lines.push(arr("int32_t", "size", indexValues(g.tensors[node.inputs[1]!]!)), "tflite::ResizeBilinearParams rb;",
        `rb.align_corners = ${o.alignCorners}; rb.half_pixel_centers = ${o.halfPixelCenters};`,
        `tflite::reference_ops::ResizeBilinearInteger(rb, ${s(0)}, x, ${shape([1, 1, 1, 2])}, size, ${shape(out.shape)}, out);`);
      break;
    }
    case "RESIZE_NEAREST_NEIGHBOR": {
      const o = node.options as { alignCorners: boolean; halfPixelCenters: boolean };
      lines.push(arr("int32_t", "size", indexValues(g.tensors[node.inputs[1]!]!)), "tflite::ResizeNearestNeighborParams rp;",
        `rp.align_corners = ${o.alignCorners}; rp.half_pixel_centers = ${o.halfPixelCenters};`,
        `tflite::reference_ops::ResizeNearestNeighbor(rp, ${s(0)}, x, ${shape([2])}, size, ${shape(out.shape)}, out);`);
      break;
    }
    case "STRIDED_SLICE": {
      const [b0, e0, s0] = [1, 2, 3].map((j) => [...indexValues(g.tensors[node.inputs[j]!]!)]);
      const o = node.options as { beginMask: number; endMask: number; shrinkAxisMask: number; offset: boolean };
      lines.push("tflite::StridedSliceParams sp = {};", `sp.start_indices_count = sp.stop_indices_count = sp.strides_count = ${b0!.length};`,
        ...b0!.map((v, d) => `sp.start_indices[${d}] = ${v}; sp.stop_indices[${d}] = ${e0![d]}; sp.strides[${d}] = ${s0![d]};`),
        `sp.begin_mask = ${o.beginMask}; sp.end_mask = ${o.endMask}; sp.shrink_axis_mask = ${o.shrinkAxisMask}; sp.offset = ${o.offset};`,
        `tflite::reference_ops::StridedSlice(sp, ${s(0)}, x, ${shape(out.shape)}, out);`);
      break;
    }
    case "TRANSPOSE": {
      const perm = indexValues(g.tensors[node.inputs[1]!]!);
      lines.push("tflite::TransposeParams tp;", `tp.perm_count = ${perm.length};`, ...[...perm].map((v, d) => `tp.perm[${d}] = ${v};`),
        `tflite::reference_ops::Transpose(tp, ${s(0)}, x, ${shape(out.shape)}, out);`);
      break;
    }
    case "QUANTIZE": {
      // Requantize between 8-bit types, with TFLM's own multiplier from the double quotient of the scales (quantize.cc).
      const qi = scalarQuant(g.tensors[node.inputs[0]!]!), qo = scalarQuant(out);
      lines.push("int32_t m; int sh;",
        `tflite::QuantizeMultiplier(static_cast<double>(${qi.scale.toPrecision(9)}f) / static_cast<double>(${qo.scale.toPrecision(9)}f), &m, &sh);`,
        `tflite::reference_ops::Requantize(x, ${n}, m, sh, ${qi.zeroPoint}, ${qo.zeroPoint}, out);`);
      break;
    }
    default:
      throw new Error(`no TFLM oracle for ${node.kind}`);
  }
  lines.push(`print(reinterpret_cast<const int8_t *>(out), ${n}); }`);
  return lines.join("\n");
}

async function runTflm(dir: string, name: string, body: string): Promise<string[]> {
  const shim = join(dir, "shim", "ruy", "profiler");
  mkdirSync(shim, { recursive: true });
  // TFLM's reference headers include ruy's profiler; a no-op stand-in is all they need.
  writeFileSync(join(shim, "instrumentation.h"), "#pragma once\nnamespace ruy { namespace profiler { struct ScopeLabel { template <typename... A> explicit ScopeLabel(A...) {} }; } }\n");
  const src = join(dir, `${name}.cc`);
  writeFileSync(src, [
    '#include <cstdio>', '#include <cstdint>',
    ...["integer_ops/add.h", "sub.h", "integer_ops/mul.h", "integer_ops/logistic.h", "integer_ops/tanh.h", "log_softmax.h", "slice.h", "pad.h", "hard_swish.h", "reduce.h", "integer_ops/conv.h", "integer_ops/depthwise_conv.h", "requantize.h", "transpose.h", "strided_slice.h", "maximum_minimum.h", "resize_nearest_neighbor.h", "leaky_relu.h", "prelu.h", "resize_bilinear.h"].map((h) => `#include "tensorflow/lite/kernels/internal/reference/${h}"`),
    '#include "tensorflow/lite/kernels/internal/quantization_util.h"',
    'static void print(const int8_t *p, int n) { for (int i = 0; i < n; i++) std::printf("%02x", (unsigned)(uint8_t)p[i]); std::printf("\\n"); }',
    "int main() {", body, "return 0; }",
  ].join("\n"));
  const exe = join(dir, name);
  const internal = join(TFLM!, "tensorflow/lite/kernels/internal");
  const cc = await execa("g++", ["-std=c++17", "-O1", "-w", "-I", TFLM!, "-I", GEMMLOWP!, "-I", join(dir, "shim"), "-DTF_LITE_STATIC_MEMORY",
    src, join(internal, "common.cc"), join(internal, "quantization_util.cc"), "-o", exe], { reject: false, all: true });
  if (cc.exitCode !== 0) throw new Error(`building the TFLM oracle failed:\n${cc.all?.slice(0, 3000)}`);
  return (await execa(exe, { maxBuffer: 1 << 28 })).stdout.trim().split("\n");
}

describe("TensorFlow Lite Micro reference kernels agree with tinyc", () => {
  test.for(["ADD", "MUL", "HARD_SWISH", "LOGISTIC", "MEAN", "CONV_2D", "DEPTHWISE_CONV_2D", "QUANTIZE", "QUANTIZE_FROM_UINT8", "QUANTIZE_TO_UINT8", "TRANSPOSE", "STRIDED_SLICE", "MAXIMUM", "MINIMUM", "REDUCE_MAX", "RESIZE_NEAREST_NEIGHBOR", "LEAKY_RELU", "PRELU", "RESIZE_BILINEAR", "SUB", "TANH", "LOG_SOFTMAX", "SLICE", "PAD", "PADV2"])("%s: 200 random cases", async (op) => {
    expect(available, WHY).toBe(true);
    const cases = generateCases(0xfeed + op.length * 31, CASES, { ...ELEMENTWISE_GENERATORS, ...CONV_GENERATORS }[op]!);
    const dir = mkdtempSync(join(tmpdir(), "tinyc-tflm-"));
    const lines = await runTflm(dir, op.toLowerCase(), cases.map((k) => caseCode(k)).join("\n"));
    const bad = cases.filter((k, i) => {
      const ref = runReference(compile(k.graph).prepared, [k.input]).outputs[0]!;
      return Buffer.from(ref).toString("hex") !== lines[i];
    });
    expect(bad.map((k) => k.graph.name), "cases where TFLM and tinyc differ").toEqual([]);
  });

  test("QuantizeMultiplier: 2,000 random doubles", async () => {
    expect(available, WHY).toBe(true);
    const r = new Random(77);
    const xs = Array.from({ length: 2000 }, () => 2 ** (r.next() * 60 - 40) * (1 + r.next()));
    const body = xs.map((x) => `{ int32_t m; int s; tflite::QuantizeMultiplier(${x.toPrecision(17)}, &m, &s); std::printf("%d %d\\n", m, s); }`).join("\n");
    const lines = await runTflm(mkdtempSync(join(tmpdir(), "tinyc-tflm-")), "qm", body);
    expect(lines).toEqual(xs.map((x) => { const q = quantizeMultiplier(x); return `${q.multiplier} ${q.shift}`; }));
  });
});

/**
 * Ops TFLM implements in its kernel files, not in reference headers: each
 * random single-op model (written by tinyc's .tflite writer) runs through TFLM's
 * interpreter, and every output must equal tinyc's reference.
 */
describe("TensorFlow Lite Micro's interpreter agrees with tinyc", () => {
  test.for([
    "SPLIT", "SPLIT_V", "UNPACK", "PACK", "SQUEEZE", "EXPAND_DIMS", "CONCATENATION", "GATHER",
    // The rest of what real models use, whole through TFLM's own kernels (parameters computed by TFLM too).
    "AVERAGE_POOL_2D", "MAX_POOL_2D", "FULLY_CONNECTED", "SOFTMAX", "RELU", "RELU6", "SPACE_TO_DEPTH", "QUANTIZE_FROM_FLOAT", "DEQUANTIZE",
  ])("%s: 200 random cases", async (op) => {
    expect(Boolean(RUNNER && existsSync(RUNNER)), WHY_RUNNER).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "tinyc-tflm-run-"));
    const bad: string[] = [];
    for (const generated of generateCases(0xbeef + op.length * 13, CASES, { ...ELEMENTWISE_GENERATORS, ...CONV_GENERATORS }[op]!)) {
      // TFLM casts val / scale to int32 unchecked, undefined for NaN and beyond int32 (x86 gives INT32_MIN): those
      // elements are left out here; tinyc saturates them and maps NaN to the zero point (ops-random-more covers them).
      const k = op === "QUANTIZE_FROM_FLOAT" ? { ...generated, input: Float32Array.from(generated.input, (v) => (Math.abs(v) < 1e6 ? v : 0)) } : generated;
      const model = join(dir, "m.tflite"), input = join(dir, "in.bin"), output = join(dir, "out.bin");
      writeFileSync(model, writeTflite(k.graph));
      writeFileSync(input, dataBytes(k.input));
      const r = await execa(RUNNER!, [model, input, output], { reject: false, all: true });
      if (r.exitCode !== 0) {
        bad.push(`${k.graph.name}: TFLM failed: ${r.all}`);
        continue;
      }
      const ours = Buffer.concat(runReference(compile(k.graph).prepared, [k.input]).outputs.map((o) => dataBytes(o)));
      if (!ours.equals(readFileSync(output))) bad.push(k.graph.name);
    }
    expect(bad, "cases where TFLM and tinyc differ").toEqual([]);
  });
});
