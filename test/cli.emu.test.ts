/** The command line's check and run, measured and run in QEMU: exit codes, outputs and JSON. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { goldenBytes, modelPath, needsEmulator, ROOT, tinyc } from "./helpers.js";

const tmp = () => mkdtempSync(join(tmpdir(), "tinyc-cli-"));

describe("tinyc CLI", () => {
  test("check exits 0 when the model fits, 1 when it does not, 2 on a bad budget", async (ctx) => {
    needsEmulator(ctx);
    const fits = await tinyc("check", modelPath("person_detect"), "--ram", "250KB", "--flash", "250KiB", "--json");
    expect(fits.exitCode).toBe(0);
    const j = JSON.parse(fits.stdout);
    expect(j).toMatchObject({ fits: true, measured: true, ramBudgetBytes: 256000, flashBudgetBytes: 256000, arenaBytes: 18752 });
    expect(j.error).toBeUndefined();
    expect(fits.stderr).toBe("");
    expect(j.ramBytes).toBeGreaterThanOrEqual(18752);
    expect(j.modelFlashBytes).toBeGreaterThan(200000);
    const over = await tinyc("check", modelPath("person_detect"), "--ram", "18KB", "--flash", "250KB");
    expect(over.exitCode).toBe(1);
    expect(over.stdout).toMatch(/RAM does not fit: over by [\d,]+ bytes; arena \(peak at op 4 CONV_2D\) dominates/);
    // The failed check is a diagnostic too: on stderr, and as `error` in the JSON report (every other field kept).
    expect(over.stderr).toMatch(/^error TC131 \(does not fit the budget\) in .*person_detect\.tflite: RAM is over the budget by \d+ bytes: \d+ bytes against 18432$/);
    const overJson = await tinyc("check", modelPath("person_detect"), "--ram", "18KB", "--flash", "1KB", "--json");
    expect(overJson.exitCode).toBe(1);
    expect(overJson.stderr).toBe("");
    const o = JSON.parse(overJson.stdout);
    expect(o).toMatchObject({ fits: false, ramBudgetBytes: 18432, flashBudgetBytes: 1024, arenaBytes: 18752 });
    expect(o.error).toEqual({
      code: "TC131", file: modelPath("person_detect"), op: null, tensor: null,
      message: `RAM is over the budget by ${o.ramOverBytes} bytes (${o.ramBytes} bytes against 18432) and flash by ${o.flashOverBytes} bytes (${o.flashBytes} bytes against 1024)`,
    });
    const bad = await tinyc("check", modelPath("person_detect"), "--ram", "lots", "--flash", "250KB");
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/TC121.*--ram 'lots' is not a size/);
  });

  test("run writes the output bytes, and refuses an input of the wrong size", async (ctx) => {
    needsEmulator(ctx);
    const dir = tmp();
    const input = join(dir, "in.bin"), output = join(dir, "out.bin");
    writeFileSync(input, goldenBytes("vww_96_int8", "input", "person"));
    const r = await tinyc("run", modelPath("vww_96_int8"), "--target", "cortex-m4", "--input", input, "--output", output, "--json");
    expect(r.exitCode).toBe(0);
    expect([...new Int8Array(readFileSync(output))]).toEqual([...goldenBytes("vww_96_int8", "output", "person")]);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ matches: true, arenaBytes: 28176, lowerBoundBytes: 55424, boundBytes: 28176, boundKind: "streamed" });
    for (const k of ["instructions", "modelFlashBytes", "firmwareFlashBytes", "ramBytes"]) expect(j[k]).toBeGreaterThan(0);
    writeFileSync(input, new Uint8Array(5));
    const bad = await tinyc("run", modelPath("vww_96_int8"), "--input", input);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/TC120.*the input has 5 bytes.*needs exactly 27648/);
  });

  test("run --image reads a BMP with the chosen pixel convention", async (ctx) => {
    needsEmulator(ctx);
    const r = await tinyc("run", modelPath("person_detect"), "--image", join(ROOT, "..", "shared", "models", "no_person.bmp"), "--pixels", "raw", "--json");
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).output).toEqual([...goldenBytes("person_detect", "output", "no_person_tflmtest")]);
  });

});
