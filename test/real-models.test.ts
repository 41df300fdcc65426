/**
 * test/real-models.json, the public real models that real-models.emu.test.ts
 * runs: where each comes from, and its sha256.
 */
import { describe, expect, test } from "vitest";
import { REAL_MODEL_MANIFEST as MANIFEST } from "./helpers.js";

describe("public real models", () => {
  test("the manifest lists models from at least four sources, each with its commit and sha256", () => {
    expect(new Set(MANIFEST.models.map((m) => m.repository)).size).toBeGreaterThanOrEqual(4);
    expect(MANIFEST.models.length).toBeGreaterThanOrEqual(10);
    for (const m of MANIFEST.models) expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
