/**
 * .tflite → IR. Reads the flatbuffer through bounds-checked accessors and
 * reports every structural problem as a diagnostic naming the file, the op index
 * and the tensor: wrong identifier (TC101), truncated or corrupt buffers (TC102),
 * unsupported structure (TC103), unsupported operators (TC110, all of them
 * together), dynamic (TC113) or zero-sized (TC114) shapes.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { DiagnosticBag, TinycError, fail } from "../../diagnostics.js";
import type { DType, Graph, Node, Quantization, Tensor } from "../ir.js";
import { DTYPE_BYTES, elementCount } from "../ir.js";
import { opModuleForBuiltin, SUPPORTED_OPS } from "../ops/index.js";
import { CorruptFlatbuffer, FlatFile, type FlatTable } from "./flat.js";
import * as fb from "./schema.js";

export function readTfliteFile(path: string): Graph {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    fail("TC100", "model", { path, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message }, { file: path });
  }
  return readTflite(bytes, path);
}

/** Graph name for C symbols: the file's base name without extension. */
export function modelName(path: string): string {
  return basename(path).replace(/\.[^.]*$/, "") || "model";
}

export function readTflite(bytes: Uint8Array, file: string): Graph {
  if (bytes.length < 8) fail("TC102", "header", { bytes: bytes.length }, { file });
  const ident = String.fromCharCode(...bytes.subarray(4, 8));
  if (ident !== fb.FILE_IDENTIFIER) {
    fail("TC101", "identifier", { identifier: JSON.stringify(ident) }, { file });
  }
  try {
    return convert(new FlatFile(bytes), file, bytes);
  } catch (e) {
    if (e instanceof CorruptFlatbuffer || e instanceof RangeError) fail("TC102", "corrupt", { detail: e.message }, { file });
    throw e;
  }
}

function convert(f: FlatFile, file: string, bytes: Uint8Array): Graph {
  const model = f.root();
  const subgraphs = model.tables(fb.Model.subgraphs, "subgraphs");
  if (subgraphs.length === 0) fail("TC103", "noSubgraph", {}, { file });
  if (subgraphs.length > 1) {
    fail("TC103", "subgraphs", { count: subgraphs.length }, { file });
  }
  const sg = subgraphs[0]!;
  const buffers = model.tables(fb.Model.buffers, "buffers");
  const opcodeTables = model.tables(fb.Model.operatorCodes, "operator_codes");
  const opcodes = opcodeTables.map((oc) => Math.max(oc.i8(fb.OperatorCode.deprecatedBuiltinCode), oc.i32(fb.OperatorCode.builtinCode)));
  const customCodes = opcodeTables.map((oc) => oc.string(fb.OperatorCode.customCode, "custom_code"));
  // Unsupported operators, each named once: how many and where the first is.
  const unsupported = new Map<string, { count: number; first: number }>();
  const bag = new DiagnosticBag();

  const tensors = sg.tables(fb.SubGraph.tensors, "tensors").map((t, id) => readTensor(t, id, buffers, bytes, file, bag));
  const checkIndex = (i: number, what: string, op?: number) => {
    if (!Number.isInteger(i) || i < -1 || i >= tensors.length) fail("TC102", "tensorIndex", { role: what, index: i, count: tensors.length }, { file, op });
  };
  const inputs = sg.i32Vector(fb.SubGraph.inputs, "inputs") ?? [];
  const outputs = sg.i32Vector(fb.SubGraph.outputs, "outputs") ?? [];
  // -1 marks an omitted optional operand of an op; the graph's own inputs and outputs are real tensors.
  for (const [role, ids] of [["a graph input", inputs], ["a graph output", outputs]] as const) {
    for (const i of ids) if (i === -1) fail("TC102", "minusOne", { role }, { file });
    ids.forEach((i) => checkIndex(i, role));
  }
  if (inputs.length === 0 || outputs.length === 0) fail("TC103", "noInputsOrOutputs", {}, { file });

  const nodes: Node[] = [];
  sg.tables(fb.SubGraph.operators, "operators").forEach((op, index) => {
    const site = { file, op: index };
    const opcodeIndex = op.u32(fb.Operator.opcodeIndex);
    const code = opcodes[opcodeIndex];
    if (code === undefined) fail("TC102", "opcode", { index: opcodeIndex, count: opcodes.length }, site);
    const opInputs = op.i32Vector(fb.Operator.inputs, "inputs") ?? [];
    const opOutputs = op.i32Vector(fb.Operator.outputs, "outputs") ?? [];
    opInputs.forEach((i) => checkIndex(i, "an operator input", index));
    opOutputs.forEach((i) => checkIndex(i, "an operator output", index));
    const m = opModuleForBuiltin(code);
    const name = fb.BUILTIN_OPERATORS[code] ?? `builtin code ${code}`;
    if (!m) {
      const custom = customCodes[opcodeIndex];
      const label = name === "CUSTOM" ? `custom operator '${custom ?? "(no custom code)"}'` : `${name} (builtin ${code})`;
      const seen = unsupported.get(label);
      if (seen) seen.count++;
      else unsupported.set(label, { count: 1, first: index });
      return;
    }
    if (m.multipleOutputs ? opOutputs.length < 1 || opOutputs.some((o) => o < 0) : opOutputs.length !== 1 || opOutputs[0]! < 0) {
      bag.add("TC103", m.multipleOutputs ? "someOutputs" : "oneOutput", { op: name, count: opOutputs.length, outputs: opOutputs.join(", ") }, site);
      return;
    }
    const options = op.table(fb.Operator.builtinOptions, "builtin_options");
    try {
      nodes.push({ index, kind: m.kind, inputs: opInputs, outputs: opOutputs, options: m.parseOptions(options, site) } as Node);
    } catch (e) {
      if (!(e instanceof TinycError)) throw e;
      bag.addAll(e.diagnostics);
    }
  });

  for (const [label, { count, first }] of unsupported) {
    const supported = SUPPORTED_OPS.join(", ");
    if (count === 1) bag.add("TC110", "operator", { op: label, first, supported }, { file, op: first });
    else bag.add("TC110", "operators", { op: label, count, first, supported }, { file, op: first });
  }

  checkShapes(tensors, new Set<number>([...inputs, ...outputs, ...nodes.flatMap((n) => [...n.inputs, ...n.outputs])]), file, bag);
  bag.throwIfAny();

  const name = modelName(file);
  return {
    name, source: file, sha256: createHash("sha256").update(bytes).digest("hex"),
    tensors: tensors.map(({ dynamic: _d, signature: _s, ...t }) => t), nodes, inputs, outputs,
  };
}

type RawTensor = Tensor & { dynamic: boolean; signature: number[] };

/** Shapes of every tensor the computation touches (`used`) must be static and non-empty. */
function checkShapes(tensors: readonly RawTensor[], used: ReadonlySet<number>, file: string, bag: DiagnosticBag): void {
  for (const id of used) {
    if (id < 0) continue;
    const t = tensors[id]!;
    if (t.dynamic) bag.add("TC113", "dynamic", { shape: t.signature.join(", ") }, { file, tensor: t.name });
    // A shape of [] is a scalar (one element): shape arithmetic has them.
    else if (t.shape.some((d) => d <= 0)) {
      bag.add("TC114", "zeroSized", { shape: t.shape.join(", ") }, { file, tensor: t.name });
    } else if (elementCount(t.shape) > MAX_ELEMENTS) {
      bag.add("TC114", "oversized", { shape: t.shape.join(", "), elements: elementCount(t.shape), max: MAX_ELEMENTS, maxMi: MAX_ELEMENTS / 2 ** 20 }, { file, tensor: t.name });
    }
  }
}

/** Elements of the largest tensor tinyc takes: far beyond any microcontroller's memory, and safe for host-side arrays. */
const MAX_ELEMENTS = 2 ** 24;

function readTensor(t: FlatTable, id: number, buffers: FlatTable[], bytes: Uint8Array, file: string, bag: DiagnosticBag): RawTensor {
  const name = t.string(fb.Tensor.name, "name") ?? `tensor_${id}`;
  const typeCode = t.i8(fb.Tensor.type);
  const dtype: DType | undefined = fb.TENSOR_TYPES[typeCode];
  if (!dtype) fail("TC102", "tensorType", { typeCode }, { file, tensor: name });
  const shape = t.i32Vector(fb.Tensor.shape, "shape") ?? [];
  const signature = t.i32Vector(fb.Tensor.shapeSignature, "shape_signature") ?? shape;
  // TFLite runtimes execute `shape`; a -1 in shape_signature only records that the
  // converter saw a dynamic batch, which `shape` has fixed (to 1, typically).
  const dynamic = shape.some((d) => d < 0);
  if (t.has(fb.Tensor.sparsity)) bag.add("TC103", "sparse", {}, { file, tensor: name });

  let quant: Quantization | undefined;
  const q = t.table(fb.Tensor.quantization, "quantization");
  if (q) {
    if (q.u8(fb.QuantizationParameters.detailsType) !== 0) bag.add("TC116", "customDetails", {}, { file, tensor: name });
    const scale = q.f32Vector(fb.QuantizationParameters.scale, "scale") ?? [];
    const zeroPoint = q.i64Vector(fb.QuantizationParameters.zeroPoint, "zero_point") ?? [];
    if (scale.length > 0) quant = { scale, zeroPoint: zeroPoint.length ? zeroPoint : scale.map(() => 0), axis: q.i32(fb.QuantizationParameters.quantizedDimension) };
  }

  let data: Uint8Array | undefined;
  const bufferIndex = t.u32(fb.Tensor.buffer);
  if (bufferIndex !== 0) {
    const b = buffers[bufferIndex];
    if (!b) fail("TC102", "buffer", { index: bufferIndex, count: buffers.length }, { file, tensor: name });
    data = b.bytes(fb.Buffer.data, "data");
    const offset = b.i64(fb.Buffer.offset), size = b.i64(fb.Buffer.size);
    if ((!data || data.length === 0) && offset > 1) {
      if (offset + size > bytes.length) fail("TC102", "dataOutside", { offset, size, fileBytes: bytes.length }, { file, tensor: name });
      data = bytes.subarray(offset, offset + size);
    }
    if (data && data.length === 0) data = undefined;
    if (data && !dynamic) {
      const expected = elementCount(shape) * (DTYPE_BYTES[dtype] ?? 1);
      if (DTYPE_BYTES[dtype] && data.length !== expected) {
        fail("TC102", "dataSize", { bytes: data.length, shape: shape.join(", "), dtype, expected }, { file, tensor: name });
      }
    }
  }
  return { id, name, shape, dtype, quant, data, dynamic, signature };
}
