/**
 * Published measurements the cycle model is validated against (src/bench/validate.ts,
 * README "Validation"), each with its source and the conditions on its side.
 * Figures are copied as published; CoreMark/MHz = iterations/s / MHz.
 */

export interface PublishedCoreMark {
  readonly core: string;
  /** The optimisation flags the figure was measured with ("" when the source does not say). */
  readonly flags: string;
  readonly coremarkPerMHz: number;
  readonly part: string;
  readonly source: string;
  readonly conditions: string;
}

const IMXRT = "github.com/Masmiseim36/Coremark_iMXRT readme.md (commit 062bf540), Rowley CrossWorks projects (-std=c11, -fomit-frame-pointer, hard float)";

/**
 * CoreMark measured on silicon with GCC, code and data in tightly coupled
 * memory (no flash wait states, no cache in the way): the closest published
 * match to what the cycle model assumes, and built with the same compiler
 * family and flags as our run.
 */
export const GCC_COREMARK: readonly PublishedCoreMark[] = [
  { core: "cortex-m4", flags: "-O2", coremarkPerMHz: 605.96 / 240, part: "i.MX RT1160 CM4 @240 MHz", source: IMXRT,
    conditions: "GCC 12.2, 605.96 it/s at 240 MHz, code and data in TCM (RT1170 CM4 @400 MHz: 991.60 it/s = 2.479/MHz)" },
  { core: "cortex-m4", flags: "-O3", coremarkPerMHz: 634.59 / 240, part: "i.MX RT1160 CM4 @240 MHz", source: IMXRT,
    conditions: "GCC 12.2, 634.59 it/s at 240 MHz, code and data in TCM (RT1170 CM4 @400 MHz: 1038.49 it/s = 2.596/MHz)" },
  { core: "cortex-m33", flags: "-O2", coremarkPerMHz: 651.09 / 240, part: "i.MX RT1180 CM33 @240 MHz", source: IMXRT,
    conditions: "GCC 12.3 (no 12.2 run published for this core), 651.09 it/s at 240 MHz, code and data in TCM" },
  { core: "cortex-m33", flags: "-O3", coremarkPerMHz: 697.35 / 240, part: "i.MX RT1180 CM33 @240 MHz", source: IMXRT,
    conditions: "GCC 12.3 (no 12.2 run published for this core), 697.35 it/s at 240 MHz, code and data in TCM" },
  { core: "cortex-m7", flags: "-O2", coremarkPerMHz: 2423.06 / 600, part: "i.MX RT1060 @600 MHz", source: IMXRT,
    conditions: "GCC 12.2, 2423.06 it/s at 600 MHz, code and data in ITCM/DTCM (RT1170 CM7 @1000 MHz: 4.021/MHz)" },
  { core: "cortex-m7", flags: "-O3", coremarkPerMHz: 2440.92 / 600, part: "i.MX RT1060 @600 MHz", source: IMXRT,
    conditions: "GCC 12.2, 2440.92 it/s at 600 MHz, code and data in ITCM/DTCM (RT1170 CM7 @1000 MHz: 4.050/MHz)" },
  { core: "cortex-m55", flags: "-Ofast", coremarkPerMHz: 2.805, part: "Cortex-M55 SSE-300 MPS3 @50 MHz",
    source: "github.com/GorgonMeducer/coremark_cortex-m55 README.md (commit 8f2c1ab0), table 'Test Results', row -Ofast",
    conditions: "Arm GNU Toolchain 10.3-2021.10 (GCC 10.3), newlib-nano; 512 KiB ITCM and DTCM; the same table gives Arm Compiler 6.17 -Ofast 4.06 and -Omax+LTO 4.51 on the same core" },
];

/** Arm's headline CoreMark/MHz per core: compiler and flags not stated where read; not reproducible with GCC (see the M55 row above). */
export const ARM_COREMARK: readonly PublishedCoreMark[] = [
  { core: "cortex-m4", flags: "", coremarkPerMHz: 3.4, part: "Arm", source: "NXP AN12284 'CoreMark on LPC55xx' section 1: 'Cortex-M4 official CoreMark is 3.40 CoreMark/MHz'",
    conditions: "Arm's figure as quoted by NXP; compiler not stated" },
  { core: "cortex-m33", flags: "", coremarkPerMHz: 4.02, part: "Arm", source: "NXP AN12284 section 1: 'Cortex-M33 official CoreMark is 4.02 CoreMark/MHz'",
    conditions: "Arm's figure as quoted by NXP; compiler not stated" },
  { core: "cortex-m7", flags: "", coremarkPerMHz: 5.01, part: "Arm", source: "D. Ibrahim, ARM-Based Microcontroller Projects Using Mbed (2019), Table 3.2",
    conditions: "Arm's figure as tabulated there; compiler not stated" },
  { core: "cortex-m55", flags: "", coremarkPerMHz: 4.2, part: "Arm", source: "WikiChip, Cortex-M55 microarchitecture: '4.2 CoreMark/MHz (self reported)'",
    conditions: "Arm's launch figure; compiler not stated" },
];

export interface PublishedVww {
  readonly core: string;
  readonly who: string;
  readonly ms: number;
  readonly mhz: number;
  /** Flash wait states at that clock (0 when the source does not say). */
  readonly waitStates: number;
  readonly conditions: string;
}

/**
 * MLPerf Tiny visual wake words latencies of runtimes that call CMSIS-NN
 * kernels (closed division, median of the runner's windows). Different
 * software versions from today's TFLM + CMSIS-NN build: older kernels, older GCC.
 */
export const VWW_PUBLISHED: readonly PublishedVww[] = [
  { core: "cortex-m4", who: "TFLM v2.3.1 + CMSIS-NN (its era), MLPerf Tiny v0.5 reference, NUCLEO-L4R5ZI", ms: 600.5, mhz: 120, waitStates: 5,
    conditions: "GCC 6-2017-q2, Mbed OS bare metal; 5 flash wait states, ART instruction and data caches on, prefetch off; tiny_results_v0.5 closed/reference/results/Nucleo-L4R5ZI/vww" },
  { core: "cortex-m4", who: "microTVM AOT + CMSIS-NN (CMSIS_5 5126318), MLPerf Tiny v1.0 OctoML, NUCLEO-L4R5ZI", ms: 301.2, mhz: 120, waitStates: 5,
    conditions: "Zephyr 2.7 with GCC 10.3 -O2; 5 flash wait states, ART as Zephyr sets it; tiny_results_v1.0 closed/OctoML/results/microtvm_cmsis_nn/NUCLEO_L4R5ZI/vww" },
  { core: "cortex-m33", who: "TFLM + CMSIS-NN (2021), MLPerf Tiny v0.7 Renesas, EK-RA6M4", ms: 162.4, mhz: 200, waitStates: 3,
    conditions: "GNU Arm Embedded 8.3.1, -O2 or -O3 (not stated which); 3 ROM wait cycles with the flash cache on; tiny_results_v0.7 closed/renesas/results/EK-RA6M4/vww" },
  { core: "cortex-m33", who: "microTVM AOT + CMSIS-NN (CMSIS_5 5126318), MLPerf Tiny v1.0 OctoML, nRF5340-DK", ms: 232.0, mhz: 128, waitStates: 0,
    conditions: "Zephyr 2.7 with GCC 10.3 -O2; flash with the instruction cache (wait states not stated); tiny_results_v1.0 closed/OctoML/results/microtvm_cmsis_nn/NRF5340-DK/vww" },
];
