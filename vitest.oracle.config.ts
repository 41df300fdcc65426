import { defineConfig } from "vitest/config";

/** npm run test:oracle: TensorFlow Lite Micro's reference kernels against tinyc (needs TFLM_ROOT and GEMMLOWP_ROOT). */
export default defineConfig({
  test: {
    include: ["test/oracle/**/*.oracle.ts"],
    testTimeout: 180_000,
    maxWorkers: 2,
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
