/** The model zoo: VWW-sized int8 networks built, calibrated and quantized in TypeScript. */
import { fail } from "../diagnostics.js";
import type { Graph } from "../compiler/ir.js";
import { isometric } from "./families/isometric.js";
import { mobilenetV1 } from "./families/mobilenet_v1.js";
import { mobilenetV2 } from "./families/mobilenet_v2.js";
import { mobilenetV3Small } from "./families/mobilenet_v3_small.js";
import type { Family, ZooOptions } from "./families/common.js";

export type { Family, ZooOptions } from "./families/common.js";

export const FAMILIES: readonly Family[] = [mobilenetV1, mobilenetV2, mobilenetV3Small, isometric];

export function family(name: string): Family {
  const f = FAMILIES.find((x) => x.name === name);
  if (!f) fail("TC121", "family", { name, families: FAMILIES.map((x) => x.name).join(", ") });
  return f;
}

export function buildZoo(name: string, options: Partial<ZooOptions> = {}): Graph {
  const f = family(name);
  const o = { ...f.defaults, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as ZooOptions;
  if (o.channels !== 1 && o.channels !== 3) fail("TC121", "channels", { value: o.channels });
  if (!(o.width > 0)) fail("TC121", "width", { value: o.width });
  if (!Number.isInteger(o.resolution) || o.resolution < 32 || o.resolution % 32 !== 0) {
    fail("TC121", "resolution", { value: o.resolution });
  }
  for (const [k, v] of [["depth", o.depth], ["expansion", o.expansion]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) fail("TC121", "positiveInteger", { option: k, value: v });
  }
  return f.build(o);
}
