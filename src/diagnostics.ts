/**
 * Diagnostics are data: one table of codes, each with a short title, the exit
 * code it ends the CLI with, and its message templates. Every user error tinyc
 * reports is a Diagnostic carrying one of these codes, the message rendered
 * from one of that code's templates, the file it concerns and, where it
 * applies, the op index and tensor name. Call sites pass a template's name and
 * its values (numbers, names, pre-joined lists), never sentences. The library
 * throws TinycError (possibly holding several diagnostics collected together),
 * or attaches a Diagnostic to a report when a check the user asked for fails;
 * the CLI prints them and takes the exit code from the table. `assert` is only
 * for broken internal invariants.
 */

/** One code: what the problem is, the exit code (2 bad input or tool error, 1 a requested check failed), its messages. */
interface CodeEntry {
  readonly title: string;
  readonly exit: 1 | 2;
  /** Templates by name; `{name}` is replaced by the value of that name. */
  readonly messages: Readonly<Record<string, string>>;
}

const INSTALL_ARM = "install it with: sudo apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm";
const BMP = "tinyc reads uncompressed 8-bit grayscale BMP images";

export const CODES = {
  TC100: {
    title: "cannot read file", exit: 2, messages: {
      model: "cannot read {path}: {reason}",
      input: "cannot read input {path}: {reason}",
      image: "cannot read image {path}: {reason}",
      labels: "cannot read labels {path}: {reason}",
      demoModels: "the demo models are not in {dir}; set TINYC_MODELS_DIR to the folder holding person_detect.tflite and vww_96_int8.tflite",
    },
  },
  TC101: {
    title: "not a TensorFlow Lite model", exit: 2, messages: {
      identifier: "the file identifier is {identifier}, not \"TFL3\": this is not a TensorFlow Lite flatbuffer",
    },
  },
  TC102: {
    title: "truncated or corrupt model", exit: 2, messages: {
      header: "the file has {bytes} bytes; a .tflite model has at least a header of 8",
      corrupt: "{detail}; the file is truncated or corrupt",
      tensorIndex: "{role} refers to tensor {index}, but the model has {count}",
      minusOne: "{role} refers to tensor -1",
      opcode: "operator uses opcode {index}, but the model has {count}",
      tensorType: "tensor has unknown type code {typeCode}",
      buffer: "tensor refers to buffer {index}, but the model has {count}",
      dataOutside: "tensor data at byte {offset} (+{size}) lies outside the file ({fileBytes} bytes)",
      dataSize: "tensor holds {bytes} bytes of data, but its shape [{shape}] of {dtype} needs {expected}",
    },
  },
  TC104: {
    title: "cannot write file", exit: 2, messages: {
      write: "cannot write {path}: {reason}",
    },
  },
  TC105: {
    title: "model not quantized to int8", exit: 2, messages: {
      float: "the model is not quantized to int8: {tensors} activation tensors are float32, in {count} ops (the first: {first}); tinyc runs int8 models: convert with full integer quantization: {settings}",
      hybrid: "the model is quantized for dynamic range only (hybrid: int8 weights, float32 activations): {tensors} activation tensors are float32, in {count} ops (the first: {first}); tinyc runs int8 activations: convert with full integer quantization: {settings}",
    },
  },
  TC103: {
    title: "unsupported model structure", exit: 2, messages: {
      noSubgraph: "the model has no subgraph",
      subgraphs: "the model has {count} subgraphs (control flow); tinyc compiles single-subgraph models",
      noInputsOrOutputs: "the model declares no inputs or no outputs",
      oneOutput: "{op} has {count} outputs ({outputs}); expected 1",
      someOutputs: "{op} has {count} outputs ({outputs}); expected one or more",
      sparse: "sparse tensors are not supported",
      unwritten: "reads tensor '{tensor}', which is no constant, no model input, and not written by an earlier operator",
      outputUnwritten: "model output '{tensor}' is written by no operator",
      noInputOrOutput: "the model has {inputs} inputs and {outputs} outputs; tinyc needs at least one of each",
      inputCount: "has {count} inputs; expected {expected}",
      inputRange: "has {count} inputs; expected {min} to {max}",
      reshapeInputs: "has {count} inputs; expected the data and an optional shape tensor",
      noInputs: "needs at least one input",
      pieces: "has {outputs} outputs for {pieces} pieces",
    },
  },
  TC110: {
    title: "unsupported operator", exit: 2, messages: {
      operator: "{op} is not supported (1 op, the first at op {first}); tinyc supports {supported}",
      operators: "{op} is not supported ({count} ops, the first at op {first}); tinyc supports {supported}",
      compileTimeOnly: "{kind} runs only at compile time here (when its inputs are constant): its input '{tensor}' ({dtype}) is computed at run time, and no kernel family runs {kind} on it",
    },
  },
  TC111: {
    title: "unsupported tensor type", exit: 2, messages: {
      activation: "{role} is {dtype}; tinyc compiles int8 models only (quantize the model with int8 activations and weights)",
      activationType: "{role} is {dtype}; expected {expected}",
      weights: "{role} is {dtype}; tinyc needs int8 weights",
      bias: "bias is {dtype}; int8 kernels need an int32 bias",
      interface: "model {role} is {dtype}; tinyc needs int8 model inputs and outputs, or uint8 / float32 ones converted by QUANTIZE (and DEQUANTIZE for float32 outputs); convert with inference_input_type/inference_output_type = tf.int8, tf.uint8 or tf.float32",
      view: "{from} input viewed as {to}; tinyc views int8 data (and int32 shape data, folded at compile time), keeping its type",
      split: "splits {dtype} data; tinyc splits int8 data (and int32 shape data, folded at compile time)",
      piece: "output {index} is {dtype}; the pieces keep the input's type ({inputType})",
      slice: "{op} of {from} to {to}; tinyc slices int8 or int32 data, keeping its type",
      gather: "GATHER of {from} to {to}; tinyc gathers int8, int32 or float32 data, keeping its type",
      tile: "TILE of {from} to {to}; tinyc tiles int8, int32 or float32 data, keeping its type",
      fill: "fills {dtype} with a {valueType} [{shape}] value; the value must be one int8, int32 or float32 element of the output's type",
      shapeOutput: "output is {dtype}; SHAPE gives int32 or int64",
      dequantizeOutput: "output is {dtype}; DEQUANTIZE produces float32",
      quantizeInside: "QUANTIZE from {dtype} is supported at the model's input only (tinyc runs int8 inside)",
      quantizeToUint8: "QUANTIZE to uint8 is supported at the model's output only (tinyc runs int8 inside)",
      quantize: "QUANTIZE from {from} to {to} is not supported (tinyc converts float32 or uint8 to int8 at the input, int8 to uint8 at the output)",
    },
  },
  TC112: {
    title: "float32 only at model inputs/outputs converted by QUANTIZE/DEQUANTIZE", exit: 2, messages: {
      interface: "model {role} is float32; tinyc needs int8 model inputs and outputs, or uint8 / float32 ones converted by QUANTIZE (and DEQUANTIZE for float32 outputs); convert with inference_input_type/inference_output_type = tf.int8, tf.uint8 or tf.float32",
      quantizeInside: "QUANTIZE from float32 is supported at the model's input only (tinyc runs int8 inside)",
      dequantizeInside: "DEQUANTIZE to float32 is supported at the model's output only (tinyc runs int8 inside)",
    },
  },
  TC113: {
    title: "dynamic shape", exit: 2, messages: {
      dynamic: "tensor has a dynamic shape [{shape}]; tinyc needs static shapes (fix the batch size and resolution when converting)",
    },
  },
  TC114: {
    title: "zero-sized or oversized tensor", exit: 2, messages: {
      zeroSized: "tensor has shape [{shape}]; every dimension must be at least 1",
      oversized: "tensor has shape [{shape}], {elements} elements; tinyc handles at most {max} ({maxMi} Mi) per tensor",
    },
  },
  TC115: {
    title: "unsupported operator options or operands", exit: 2, messages: {
      padding: "unknown padding mode {code}; expected SAME or VALID",
      activationCode: "unknown fused activation {code}",
      activation: "fused activation {activation} is not supported; supported fused activations are NONE, RELU, RELU6 and RELU_N1_TO_1",
      positive: "{option} must be a positive integer, got {value}",
      constant: "{role} must be a constant tensor",
      constantIndices: "{role} must be a constant int32 tensor",
      constantView: "a model output that is a view of a constant tensor is not supported",
      weightsFormat: "weights_format {format} (shuffled weights) is not supported; only DEFAULT",
      hybrid: "asymmetric_quantize_inputs (hybrid weights-only quantization) is not supported",
      grouped: "filter has {filterChannels} input channels but the input has {inputChannels} (grouped convolution is not supported)",
      depthMultiplier: "depth_multiplier {multiplier} does not match {outputChannels} output channels for {inputChannels} input channels",
      beta: "beta must be positive, got {beta}",
      axes: "axes [{axes}] do not fit the input's {rank} dimensions",
      oneAxis: "axis [{axes}] must be one index into [{shape}]",
      expandAxis: "axis [{axes}] must be one index into a {rank}-dimensional output",
      squeezeDims: "squeeze_dims [{dims}] must name dimensions of size 1 of [{shape}]",
      paddings: "paddings [{pads}] must be {rank} non-negative (before, after) pairs",
      padValue: "the constant_values operand must be a constant int8 scalar (is {dtype} [{shape}])",
      padValueComputed: "the constant_values operand must be a constant int8 scalar (is computed at run time, {dtype} [{shape}])",
      multiples: "multiples [{multiples}] need one non-negative entry per input dimension ({rank})",
      permutationType: "the permutation is {dtype}; TRANSPOSE takes a constant int32 permutation",
      permutation: "permutation [{perm}] must order all {rank} dimensions of the input (at most {max})",
      unpack: "axis {axis} and num {num} with {outputs} outputs must match a dimension of [{shape}]",
      numSplits: "num_splits {numSplits} with {outputs} outputs must divide dimension {axis} ({size}) evenly",
      sizeSplits: "size_splits [{sizes}] must cut dimension {axis} ({size}) into {pieces} pieces, one per output",
      resizeSize: "the output size must be [height, width] of positive values, got [{size}]",
      alignAndHalfPixel: "align_corners and half_pixel_centers cannot both be set (TensorFlow Lite refuses it)",
      blockSize: "block_size must be at least 1, got {blockSize}",
      gatherAxis: "axis {axis} with batch_dims {batchDims}: tinyc gathers along one axis of [{shape}] with batch_dims 0",
      gatherIndex: "index {index} is outside dimension {axis} ({size}) of the input",
      concatActivation: "fused activation {activation} on an int8 concatenation is not supported",
      concatAxis: "axis {axis} is outside the output's {rank} dimensions",
      slice: "begin [{begin}] and size [{size}] must select a range inside [{shape}] (at most {max} dimensions)",
      masks: "ellipsis_mask {ellipsisMask} and new_axis_mask {newAxisMask}: tinyc supports STRIDED_SLICE without them (TensorFlow Lite Micro would silently ignore them)",
      strides: "begin, end and strides need one non-zero-stride entry per input dimension ({rank}, at most {max})",
      valuesCount: "values_count is {valuesCount} but the op has {inputs} inputs",
      packAxis: "axis {axis} is outside [{min}, {max}]",
    },
  },
  TC116: {
    title: "missing, invalid or unsupported quantization", exit: 2, messages: {
      customDetails: "custom quantization details are not supported",
      perTensor: "{role} needs one positive scale and one zero point (per-tensor quantization)",
      zeroPointRange: "{role} has zero point {zeroPoint}, outside the {dtype} range [{min}, {max}]",
      scales: "{role} needs positive quantization scales",
      channelScales: "{role} has {count} scales along dimension {axis}; expected 1 or {channels} along dimension {channelAxis}",
      symmetric: "{role} must be symmetrically quantized (zero point 0)",
      sameQuant: "{role} must share scale and zero point with the output (this op does not rescale)",
      multiplier: "its scales need a requantization multiplier of {multiplier}, beyond int32 fixed point (at most 2^30); the model's quantization is unusable here",
      addScale: "the output scale is too small for the inputs' scales (int8 {kind} needs output scale > 2 * max input scale / 2^20)",
      hardSwishScale: "the output scale is too small for the input scale (int8 HARD_SWISH needs output scale >= input scale / 128)",
      fixedOutput: "int8 {op} output must have scale 1/{denominator} and zero point {zeroPoint} (has {scale} and {actualZeroPoint})",
      inputScale: "the input scale is too small for the int8 {op} kernel",
      softmaxOutput: "int8 softmax output must have scale 1/256 and zero point -128 (has {scale} and {zeroPoint})",
      softmaxScale: "input scale times beta is too small for the int8 softmax kernel",
      logSoftmaxOutput: "int8 log-softmax output must have scale 16/256 and zero point 127 (has {scale} and {zeroPoint})",
      logSoftmaxInput: "the input scale is outside the range of the int8 log-softmax kernel",
    },
  },
  TC117: {
    title: "inconsistent shapes", exit: 2, messages: {
      rank: "{role} has shape [{shape}]; expected rank {rank}",
      shape: "{role} has shape [{shape}]; the op computes [{expected}]",
      broadcast: "inputs [{a}] and [{b}] do not broadcast",
      biasCount: "bias has {count} values; expected {channels}",
      viewCount: "viewing [{from}] as [{to}] changes the element count",
      viewShape: "output has shape [{shape}]; the op's attributes give [{computed}]",
      depthwiseFilter: "filter has shape [{shape}]; a depthwise filter is [1, H, W, {inputChannels} x depth multiplier]",
      fullyConnectedDepth: "input has {elements} elements, not a multiple of the filter's depth {depth}",
      softmaxRank: "softmax input must have at least one dimension",
      logSoftmaxRank: "log-softmax input must have at least one dimension",
      prelu: "the input [{input}] must have the output's shape [{output}] (only alpha broadcasts)",
      blockMultiple: "input height {height} and width {width} must be multiples of block_size {blockSize}",
      concatInput: "input {index} has shape [{shape}]; it must match the output [{output}] except along axis {axis}",
      window: "a {kernelH}x{kernelW} VALID window does not fit the {inputH}x{inputW} input",
      pack: "PACK needs inputs of one shape and the output's type (int8 or int32); got {inputs} → {output}",
    },
  },
  TC120: {
    title: "bad input data", exit: 2, messages: {
      inputBytes: "the input has {bytes} bytes; '{tensor}' [{shape}] {dtype} needs exactly {expected}",
      inputsBytes: "the input has {bytes} bytes; the model's {count} inputs need {expected} together ({inputs})",
      inputParts: "{given} inputs of {sizes} bytes given; the model needs {count} ({inputs})",
      referenceInput: "input {index} ('{tensor}') needs {elements} {dtype} values, got {got}",
      notBmp: `not a BMP file; ${BMP}`,
      bmpFormat: `the image has {bits} bits per pixel and compression {compression}; ${BMP}`,
      bmpTruncated: `the pixel data is truncated; ${BMP}`,
      labels: "--labels has {names} (one a line); the output has {elements} elements: give a name for each, in output order",
    },
  },
  TC121: {
    title: "bad argument", exit: 2, messages: {
      size: "{option} '{text}' is not a size; write e.g. 250KB, 256KiB, 1MB or a byte count",
      sizePositive: "{option} must be positive, got '{text}'",
      timeout: "--timeout must be a positive number of seconds, got '{value}'",
      inputAndImage: "give either --input or --image, not both",
      imageInputs: "--image feeds a model with one input; this one has {count}: give --input files",
      zooOut: "give -o model.tflite (or --fit)",
      zooIo: "give --float-io or --uint8-io, not both",
      family: "unknown model family '{name}'; families: {families}",
      channels: "--channels must be 1 or 3, got {value}",
      width: "--width must be positive, got {value}",
      resolution: "--resolution must be a multiple of 32 of at least 32, got {value}",
      positiveInteger: "--{option} must be a positive integer, got {value}",
      notEmulated: "{what} needs a part-sized, emulated target; '{target}' is {description}",
      hostBackend: "--target host runs tinyc's own kernels; '{backend}' builds code from outside tinyc for Arm cores (use --backend portable)",
      sectionName: "{option} '{name}' is not a section name (letters, digits, '_', '.', '$')",
      fitIo: "--fit sweeps int8-interface models; --float-io and --uint8-io do not apply",
      pixelsWithoutImage: "--pixels says how --image maps pixels to input values; give it with --image",
      checkBudget: "check needs a budget: give --ram, --flash and/or --latency",
      externSection: "--arena-section places the static arena; with --arena extern the buffer is the caller's, placed where the caller defines it",
    },
  },
  TC122: {
    title: "backend not available on the target", exit: 2, messages: {
      missingFeature: "--backend {backend} cannot run on target {target}: {target} has no {feature} (use --backend portable)",
    },
  },
  TC123: {
    title: "input cannot be streamed", exit: 2, messages: {
      disabled: "--stream-input needs row streaming, which --disable turns off",
      whichInput: "the model has {count} inputs; name the one to stream (--stream-input NAME or index): {inputs}",
      noSuchInput: "no model input '{name}'; the inputs are {inputs}",
      notInput: "'{tensor}' is not a model input",
      notRows: "input '{tensor}' is {dtype} [{shape}]; only an int8 [1, H, W, C] input streams by rows",
      alsoOutput: "input '{tensor}' is also a model output",
      readers: "input '{tensor}' is read by {count} ops ({ops}); a streamed input has one reader",
      reader: "input '{tensor}' is read by op {op} ({kind}), which cannot read its input row by row through a ring with the {backend} kernels",
    },
  },
  TC124: {
    title: "bad timing request", exit: 2, messages: {
      clock: "--clock '{text}' is not a clock frequency; write e.g. 80MHz, 120 MHz, 1.2GHz, 32768Hz",
      latency: "--latency '{text}' is not a time; write e.g. 100ms, 0.25s, 2500us",
      waitStates: "--flash-wait-states must be a whole number from 0 to 15, got '{text}'",
      noModel: "{what} needs a cycle model of the core; target '{target}' ({cpu}) has none (tinyc models {cores})",
      latencyWithoutClock: "--latency needs the part's clock: give --clock (target '{target}' names none)",
    },
  },
  TC125: {
    title: "bad timing table", exit: 2, messages: {
      table: "{file}: {problem}",
    },
  },
  TC130: {
    title: "unknown target", exit: 2, messages: {
      unknown: "unknown target '{name}'; known targets: {targets}",
    },
  },
  TC131: {
    title: "does not fit the budget", exit: 1, messages: {
      ram: "RAM is over the budget by {over} bytes: {bytes} bytes against {budget}",
      flash: "flash is over the budget by {over} bytes: {bytes} bytes against {budget}",
      both: "RAM is over the budget by {ramOver} bytes ({ram} bytes against {ramBudget}) and flash by {flashOver} bytes ({flash} bytes against {flashBudget})",
    },
  },
  TC132: {
    title: "over the latency budget", exit: 1, messages: {
      latency: "the estimated latency is {ms} ms ({cycles} cycles at {clock}), over the budget of {budget} ms by {over} ms; the slowest ops: {ops}",
    },
  },
  TC140: {
    title: "toolchain missing", exit: 2, messages: {
      armTool: `{tool} not found on PATH; ${INSTALL_ARM}`,
      hostCompiler: "no host C compiler (cc or gcc) on PATH; install one with: sudo apt-get install gcc",
    },
  },
  TC141: {
    title: "firmware does not fit the part", exit: 2, messages: {
      overflow: "{model} does not fit {part}: the firmware overflows {region} by {bytes} bytes (the part has {size} bytes); the arena alone is {arena} bytes (RAM), weights and code go to flash. Choose a larger part (--target) or a smaller model.",
      overflowBoth: "{model} does not fit {part}: the firmware overflows {region} by {bytes} bytes (the part has {size} bytes) and {region2} by {bytes2} bytes (the part has {size2} bytes); the arena alone is {arena} bytes (RAM), weights and code go to flash. Choose a larger part (--target) or a smaller model.",
    },
  },
  TC142: {
    title: "build failed", exit: 2, messages: {
      compiler: "{tool} failed:\n{log}",
      link: "linking the firmware failed:\n{log}",
      cmsisSource: "building CMSIS-NN ({source}) failed:\n{log}",
      cmsisArchive: "archiving CMSIS-NN failed:\n{log}",
    },
  },
  TC143: {
    title: "firmware or host program timed out", exit: 2, messages: {
      qemu: "the firmware did not finish within {seconds} s in QEMU ({machine}): it hangs or loops forever; QEMU was stopped. Last output: {output}",
      host: "the host program did not finish within {seconds} s: it hangs or loops forever; it was stopped",
    },
  },
  TC144: {
    title: "firmware or host program crashed", exit: 2, messages: {
      fault: "the firmware crashed in QEMU with a {fault} (exit code {exitCode})",
      qemuExit: "QEMU exited with code {exitCode} before the harness finished. Output: {output}",
      hostExit: "the host program exited with code {exitCode} (signal {signal}) before the harness finished. Output: {output}",
    },
  },
  TC145: {
    title: "output differs from the reference", exit: 1, messages: {
      output: "output {output} '{tensor}' differs from the reference from element {element} on; op {op} ({kind}) is the first op whose output differs",
      outputOnly: "output {output} '{tensor}' differs from the reference from element {element} on, though every op's output matched its reference hash",
      outputBytes: "the program printed {bytes} output bytes; the model's outputs have {expected}",
    },
  },
  TC146: {
    title: "inference stopped", exit: 2, messages: {
      stopped: "invoke() returned {status}: op {op} stopped the inference (a kernel's error, or the callback of a streamed input that op reads returned nonzero)",
    },
  },
  TC150: {
    title: "CMSIS-NN not found", exit: 2, messages: {
      noTree: "the cmsis-nn backend needs a CMSIS-NN source tree: pass --cmsis-nn DIR or set CMSIS_NN_ROOT (the README says how to get CMSIS-NN)",
      notTree: "{header} not found: {root} is not a CMSIS-NN source tree",
      buildNeedsTree: "building with CMSIS-NN {version} needs its source tree: pass --cmsis-nn DIR or set CMSIS_NN_ROOT",
    },
  },
  TC151: {
    title: "unsupported CMSIS-NN version", exit: 2, messages: {
      version: "CMSIS-NN version '{version}' is not supported; supported: {supported}",
      revision: "CMSIS-NN at {root} has arm_nnfunctions.h revision {revision}; supported: {supported}",
      notRequested: "CMSIS-NN at {root} is {found}, not the requested {version}",
    },
  },
} as const satisfies Readonly<Record<`TC${number}`, CodeEntry>>;

export type Code = keyof typeof CODES;
/** The names of a code's message templates. */
export type MessageName<C extends Code> = keyof (typeof CODES)[C]["messages"] & string;
type Template<C extends Code, M extends MessageName<C>> = (typeof CODES)[C]["messages"][M];
/** The `{name}` placeholders of a template. */
type Placeholders<T> = T extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
/** The values a template takes: one per placeholder, no others (for a union of names, the values of any one of them). */
export type MessageValues<C extends Code, M extends MessageName<C>> = M extends unknown ? ValuesFor<Placeholders<Template<C, M>>> : never;
type ValuesFor<P extends string> = [P] extends [never] ? Readonly<Record<string, never>> : { readonly [K in P]: string | number };
/** A message of code C not yet rendered: its template's name and values (for code that says why, leaving the where to its caller). */
export type Message<C extends Code> = { [M in MessageName<C>]: { readonly message: M; readonly values: MessageValues<C, M> } }[MessageName<C>];

export interface Diagnostic {
  readonly code: Code;
  readonly message: string;
  readonly file?: string;
  /** Operator index in the model's execution order. */
  readonly op?: number;
  readonly tensor?: string;
}

/** Where a diagnostic points: the file, op and tensor, as far as they apply. */
export type Where = Omit<Diagnostic, "code" | "message">;

export class TinycError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: Diagnostic | readonly Diagnostic[]) {
    const list = Array.isArray(diagnostics) ? (diagnostics as Diagnostic[]) : [diagnostics as Diagnostic];
    super(list.map(formatDiagnostic).join("\n"));
    this.name = "TinycError";
    this.diagnostics = list;
  }

  get code(): Code {
    return this.diagnostics[0]!.code;
  }
}

const PLACEHOLDER = /\{([a-z][A-Za-z0-9]*)\}/g;

/** Fills a template: every placeholder needs a value (a string or a number), and every value a placeholder. */
export function renderMessage(code: Code, message: string, values: Readonly<Record<string, unknown>>): string {
  const template = (CODES[code].messages as Readonly<Record<string, string>>)[message];
  assert(template !== undefined, `${code} has no message '${message}'`);
  const used = new Set<string>();
  const text = template.replace(PLACEHOLDER, (_all, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    assert(typeof value === "string" || typeof value === "number", `${code} message '${message}' needs a string or number for {${name}}`);
    used.add(name);
    return String(value);
  });
  const extra = Object.keys(values).filter((k) => !used.has(k));
  assert(extra.length === 0, `${code} message '${message}' has no placeholder for ${extra.join(", ")}`);
  return text;
}

/** A diagnostic rendered from code C's template `message`; the library throws it (fail) or attaches it to a report. */
export function diagnostic<C extends Code, M extends MessageName<C>>(code: C, message: M, values: MessageValues<C, M>, where: Where = {}): Diagnostic {
  return { code, message: renderMessage(code, message, values), ...where };
}

export function fail<C extends Code, M extends MessageName<C>>(code: C, message: M, values: MessageValues<C, M>, where: Where = {}): never {
  throw new TinycError(diagnostic(code, message, values, where));
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.op !== undefined ? `op ${d.op}` : undefined, d.tensor ? `tensor '${d.tensor}'` : undefined]
    .filter(Boolean)
    .join(", ");
  return `error ${d.code} (${CODES[d.code].title})${where ? ` in ${where}` : ""}: ${d.message}`;
}

/** Collects user errors so they can be reported together. */
export class DiagnosticBag {
  private readonly items: Diagnostic[] = [];
  add<C extends Code, M extends MessageName<C>>(code: C, message: M, values: MessageValues<C, M>, where: Where = {}): void {
    this.items.push(diagnostic(code, message, values, where));
  }
  /** Diagnostics rendered elsewhere (a TinycError caught while collecting). */
  addAll(diagnostics: readonly Diagnostic[]): void {
    this.items.push(...diagnostics);
  }
  get size(): number {
    return this.items.length;
  }
  throwIfAny(): void {
    if (this.items.length > 0) throw new TinycError(this.items);
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`tinyc internal error: ${message}`);
}
