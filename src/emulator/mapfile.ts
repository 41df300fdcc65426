/**
 * Flash and RAM use per object file, read from the GNU ld map file: every input
 * section placed in an output section, with its size and the object it came
 * from. Flash holds .text (code and const data) and the initial values of .data;
 * RAM holds .data and .bss.
 */

export interface ObjectUse {
  flash: number;
  ram: number;
}

const FLASH_SECTIONS = new Set([".text", ".ARM.exidx", ".data"]);
const RAM_SECTIONS = new Set([".data", ".bss"]);

export function parseMap(map: string): Map<string, ObjectUse> {
  const use = new Map<string, ObjectUse>();
  let output = "";
  let pending = "";
  let inMemoryMap = false;
  for (const line of map.split("\n")) {
    if (line.startsWith("Linker script and memory map")) inMemoryMap = true;
    if (!inMemoryMap) continue;
    const out = /^(\.[A-Za-z0-9_.]+)\s/.exec(line) ?? /^(\.[A-Za-z0-9_.]+)$/.exec(line);
    if (out) {
      output = out[1]!;
      continue;
    }
    const full = /^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$/.exec(line);
    const cont = /^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$/.exec(line);
    let size: number | undefined;
    let obj: string | undefined;
    if (full && full[1] !== "*fill*") {
      size = parseInt(full[3]!, 16);
      obj = full[4]!;
    } else if (cont && pending) {
      size = parseInt(cont[2]!, 16);
      obj = cont[3]!;
    }
    pending = /^ (\.[A-Za-z0-9_.$]+)$/.test(line) ? line.trim() : "";
    if (size === undefined || obj === undefined || size === 0) continue;
    const u = use.get(obj) ?? { flash: 0, ram: 0 };
    if (FLASH_SECTIONS.has(output)) u.flash += size;
    if (RAM_SECTIONS.has(output)) u.ram += size;
    use.set(obj, u);
  }
  return use;
}
