import { configDefaults, defineConfig } from "vitest/config";

/**
 * Two tiers, one run: `npm test` runs both projects in one vitest invocation
 * (one summary line); `npm run test:unit` / `npm run test:emulator` run one.
 * unit: everything that needs neither the Arm cross toolchain nor QEMU (the
 * host's C compiler is fine). emulator: the *.emu.test.ts files, which build
 * firmware with arm-none-eabi-gcc and run it in qemu-system-arm.
 */
const EMULATOR = "test/**/*.emu.test.ts";

export default defineConfig({
  test: {
    // The machine has two cores; the two projects share these workers.
    maxWorkers: 2,
    reporters: ["default", "./test/summary-reporter.ts"],
    // Each run's scratch folders in one temporary folder, removed at the end.
    globalSetup: ["./test/global-setup.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, EMULATOR],
          // Files share a worker's module cache: each would otherwise load the compiler anew (a third of the tier's time).
          isolate: false,
          // The slowest host tests take about 35 s on an idle machine: room for a loaded one.
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: "emulator",
          include: [EMULATOR],
          // Firmware builds and QEMU runs slow down most when the machine is busy.
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
