/**
 * tinyc plan --html in a real browser: headless Chromium (Debian's, driven by
 * playwright-core) renders the page; the screenshot, decoded, has each box's
 * colour at the centres of three named tensors and the background colour in a
 * cell where no buffer lives.
 */
import { execa } from "execa";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { chromium } from "playwright-core";
import { expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { SEGMENT_COLOR } from "../src/reports/html.js";
import { modelPath, ROOT } from "./helpers.js";

const CHROMIUM = "/usr/bin/chromium";

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

test("the arena picture shows each tensor's box where the plan puts it", async (ctx) => {
  if (!existsSync(CHROMIUM)) {
    const why = `${CHROMIUM} not found (apt-get install chromium)`;
    if (process.env.CI === "true") throw new Error(`CI=true but ${why}`);
    ctx.skip(why);
  }
  const html = join(mkdtempSync(join(tmpdir(), "tinyc-html-")), "plan.html");
  const r = await execa("node", [join(ROOT, "dist", "cli", "main.js"), "plan", modelPath("vww_96_int8"), "--html", html], { reject: false });
  expect(r.exitCode, r.stderr).toBe(0);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    await page.goto(`file://${html}`);
    const png = PNG.sync.read(await page.screenshot());
    const pixel = (x: number, y: number): [number, number, number] => {
      const i = (Math.round(y) * png.width + Math.round(x)) * 4;
      return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    };
    const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 3);

    // Three named tensors: the three largest buffers.
    const plan = compile(modelPath("vww_96_int8")).plan;
    const named = [...plan.buffers].sort((a, b) => b.bytes - a.bytes).slice(0, 3);
    for (const b of named) {
      const box = page.locator(`rect[data-name="${b.name}"]`);
      const bb = (await box.boundingBox())!;
      const color = (await box.getAttribute("data-color"))!;
      expect(near(pixel(bb.x + bb.width / 2, bb.y + bb.height / 2), rgb(color)), `${b.name} (${color})`).toBe(true);
    }

    // An empty cell: the last op's column, just below the top of the arena (only tiny buffers live there).
    const svg = page.locator("svg#arena");
    const s = (await svg.boundingBox())!;
    const attr = async (n: string) => Number(await svg.getAttribute(n));
    const [x0, y0, stepWidth, byteHeight] = [await attr("data-x0"), await attr("data-y0"), await attr("data-step-width"), await attr("data-byte-height")];
    const lastStep = plan.steps.length - 1;
    const offset = plan.arenaBytes * 0.9;
    expect(plan.buffers.some((b) => b.firstUse <= lastStep && lastStep <= b.lastUse && plan.placement.offsets.get(b.id)! <= offset && offset < plan.placement.offsets.get(b.id)! + b.bytes)).toBe(false);
    expect(pixel(s.x + x0 + (lastStep + 0.5) * stepWidth, s.y + y0 - offset * byteHeight)).toEqual([255, 255, 255]);

    // Each row-streamed segment shades its ops' columns where no buffer lives; its rings are dashed boxes.
    expect(plan.segments.length).toBeGreaterThan(0);
    for (const seg of plan.segments) {
      expect(await page.locator(`rect[data-segment="${seg.ops.join(",")}"]`).count()).toBe(1);
      for (const ring of seg.rings) {
        const box = page.locator(`rect[data-name="${plan.buffers[plan.tensorBuffer.get(ring.tensor)!]!.name}"]`);
        expect(await box.getAttribute("data-ring")).toBe(String(ring.rows));
        expect(await box.getAttribute("stroke-dasharray")).not.toBeNull();
      }
      const step = seg.steps[0]!;
      const free = Array.from({ length: 50 }, (_, k) => (plan.arenaBytes * (k + 0.5)) / 50).find((o) => !plan.buffers.some((b) =>
        b.firstUse <= step && step <= b.lastUse && plan.placement.offsets.get(b.id)! - 2 / byteHeight <= o && o < plan.placement.offsets.get(b.id)! + b.bytes + 2 / byteHeight));
      if (free !== undefined) expect(pixel(s.x + x0 + (step + 0.5) * stepWidth, s.y + y0 - free * byteHeight)).toEqual(rgb(SEGMENT_COLOR));
    }
    expect(await page.locator("svg#arena text", { hasText: "streamed: ops" }).count()).toBe(plan.segments.length);

    // The peak is marked, and boxes say what they hold when hovered.
    expect(await page.locator("svg#arena text", { hasText: `peak: op ${plan.steps[plan.peakStep]!.op}` }).count()).toBe(1);
    expect(await page.locator(`rect[data-name="${named[0]!.name}"] title`).textContent()).toMatch(new RegExp(`${named[0]!.bytes} bytes at offset \\d+`));
  } finally {
    await browser.close();
  }
});
