/** SUB, int8, with broadcasting: ADD's rescaling with the second input subtracted (see add.ts). */
import * as fb from "../tflite/schema.js";
import { addOrSub, type AddParams } from "./add.js";
import type { OpModule } from "./types.js";

export const sub = addOrSub("SUB", fb.BuiltinOptionsType.SubOptions) as OpModule<"SUB", AddParams>;
