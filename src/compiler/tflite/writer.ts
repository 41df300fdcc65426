/**
 * IR → .tflite (TFL3 flatbuffer), the inverse of reader.ts: any graph tinyc can
 * read it can write. Buffer 0 is the empty sentinel; every constant tensor gets
 * its own 16-byte-aligned buffer; operator codes are written with both the
 * deprecated byte and the int32 builtin code.
 */
import { Builder } from "flatbuffers";
import type { DType, Graph, Node, Tensor } from "../ir.js";
import { opModule } from "../ops/index.js";
import { NO_OPTIONS, int32Vector } from "./options.js";
import * as fb from "./schema.js";

const SCHEMA_VERSION = 3;

function typeCode(d: DType): number {
  const i = fb.TENSOR_TYPES.indexOf(d);
  if (i < 0) throw new Error(`tinyc internal error: no TFLite type for ${d}`);
  return i;
}

function byteVector(b: Builder, data: Uint8Array, align: number): number {
  b.startVector(1, data.length, align);
  for (let i = data.length - 1; i >= 0; i--) b.addInt8(data[i]!);
  return b.endVector();
}

function tableVector(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}

function writeTensor(b: Builder, t: Tensor, buffer: number): number {
  const name = b.createString(t.name);
  const shape = int32Vector(b, t.shape);
  let quant = 0;
  if (t.quant) {
    b.startVector(4, t.quant.scale.length, 4);
    for (let i = t.quant.scale.length - 1; i >= 0; i--) b.addFloat32(t.quant.scale[i]!);
    const scale = b.endVector();
    b.startVector(8, t.quant.zeroPoint.length, 8);
    for (let i = t.quant.zeroPoint.length - 1; i >= 0; i--) b.addInt64(BigInt(t.quant.zeroPoint[i]!));
    const zeroPoint = b.endVector();
    const q = fb.QuantizationParameters;
    b.startObject(q.quantizedDimension + 1);
    b.addFieldOffset(q.scale, scale, 0);
    b.addFieldOffset(q.zeroPoint, zeroPoint, 0);
    b.addFieldInt32(q.quantizedDimension, t.quant.axis, 0);
    quant = b.endObject();
  }
  const f = fb.Tensor;
  b.startObject(f.quantization + 1);
  b.addFieldOffset(f.shape, shape, 0);
  b.addFieldInt8(f.type, typeCode(t.dtype), 0);
  b.addFieldInt32(f.buffer, buffer, 0);
  b.addFieldOffset(f.name, name, 0);
  if (quant) b.addFieldOffset(f.quantization, quant, 0);
  return b.endObject();
}

function writeOperator(b: Builder, node: Node, opcodeIndex: number): number {
  const m = opModule(node);
  const inputs = int32Vector(b, node.inputs);
  const outputs = int32Vector(b, node.outputs);
  const options = m.writeOptions ? m.writeOptions(b, node.options) : NO_OPTIONS;
  const f = fb.Operator;
  b.startObject(f.builtinOptions + 1);
  b.addFieldInt32(f.opcodeIndex, opcodeIndex, 0);
  b.addFieldOffset(f.inputs, inputs, 0);
  b.addFieldOffset(f.outputs, outputs, 0);
  if (options.offset) {
    b.addFieldInt8(f.builtinOptionsType, options.type, 0);
    b.addFieldOffset(f.builtinOptions, options.offset, 0);
  }
  return b.endObject();
}

/** Serializes a graph to .tflite bytes. */
export function writeTflite(graph: Graph, description = "written by tinyc"): Uint8Array {
  const b = new Builder(1 << 16);
  // Buffers: 0 is the empty sentinel, then one per constant tensor.
  const bufferOf = new Map<number, number>();
  const buffers: number[] = [];
  const emptyBuffer = () => { b.startObject(1); return b.endObject(); };
  buffers.push(emptyBuffer());
  for (const t of graph.tensors) {
    if (!t.data) continue;
    const data = byteVector(b, t.data, 16);
    b.startObject(1);
    b.addFieldOffset(fb.Buffer.data, data, 0);
    bufferOf.set(t.id, buffers.length);
    buffers.push(b.endObject());
  }
  const tensors = graph.tensors.map((t) => writeTensor(b, t, bufferOf.get(t.id) ?? 0));

  const codes: number[] = [];
  const opcodeIndex = (node: Node) => {
    const code = fb.builtinCode(node.kind);
    if (!codes.includes(code)) codes.push(code);
    return codes.indexOf(code);
  };
  const operators = graph.nodes.map((n) => writeOperator(b, n, opcodeIndex(n)));
  const opcodes = codes.map((code) => {
    const f = fb.OperatorCode;
    b.startObject(f.builtinCode + 1);
    b.addFieldInt8(f.deprecatedBuiltinCode, Math.min(code, 127), 0);
    b.addFieldInt32(f.version, 1, 1);
    b.addFieldInt32(f.builtinCode, code, 0);
    return b.endObject();
  });

  const sgName = b.createString(graph.name);
  const sgTensors = tableVector(b, tensors);
  const sgInputs = int32Vector(b, graph.inputs);
  const sgOutputs = int32Vector(b, graph.outputs);
  const sgOperators = tableVector(b, operators);
  const s = fb.SubGraph;
  b.startObject(s.name + 1);
  b.addFieldOffset(s.tensors, sgTensors, 0);
  b.addFieldOffset(s.inputs, sgInputs, 0);
  b.addFieldOffset(s.outputs, sgOutputs, 0);
  b.addFieldOffset(s.operators, sgOperators, 0);
  b.addFieldOffset(s.name, sgName, 0);
  const subgraph = b.endObject();

  const desc = b.createString(description);
  const opcodeVec = tableVector(b, opcodes);
  const subgraphVec = tableVector(b, [subgraph]);
  const bufferVec = tableVector(b, buffers);
  const m = fb.Model;
  b.startObject(m.buffers + 1);
  b.addFieldInt32(m.version, SCHEMA_VERSION, 0);
  b.addFieldOffset(m.operatorCodes, opcodeVec, 0);
  b.addFieldOffset(m.subgraphs, subgraphVec, 0);
  b.addFieldOffset(m.description, desc, 0);
  b.addFieldOffset(m.buffers, bufferVec, 0);
  b.finish(b.endObject(), fb.FILE_IDENTIFIER);
  return b.asUint8Array();
}
