/**
 * Integer arithmetic exactly as TensorFlow Lite's reference kernels do it
 * (gemmlowp's fixed-point primitives, double-rounding requantization). Every
 * function works on int32 values held in JS numbers and is exact: 64-bit
 * products are split so no intermediate exceeds 2^53.
 */

export const INT32_MAX = 2147483647;
export const INT32_MIN = -2147483648;
const TWO31 = 2147483648;

/** (a * b * 2 + 2^31 rounding nudge) >> 32 with saturation: gemmlowp's SaturatingRoundingDoublingHighMul. */
export function srdhm(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  // ab = hi * 2^16 + lo, both parts exact.
  const bh = b >> 16; // signed high half
  const bl = b & 0xffff; // unsigned low half
  const hi = a * bh;
  const lo = a * bl;
  const nonNegative = a === 0 || b === 0 || a > 0 === b > 0;
  const nudge = nonNegative ? 1 << 30 : 1 - (1 << 30);
  // Exact floor((hi*2^16 + lo + nudge) / 2^31), then truncate toward zero.
  const q1 = Math.floor(hi / 32768);
  const r1 = hi - q1 * 32768;
  const s = r1 * 65536 + lo + nudge;
  const q2 = Math.floor(s / TWO31);
  const rem = s - q2 * TWO31;
  const f = q1 + q2;
  return f < 0 && rem !== 0 ? f + 1 : f;
}

/** Rounding arithmetic right shift (round half away from zero): gemmlowp's RoundingDivideByPOT. */
export function rdbp(x: number, exponent: number): number {
  const mask = (2 ** exponent - 1) | 0;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** TFLite's MultiplyByQuantizedMultiplier (double rounding), shift > 0 is a left shift. */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return rdbp(srdhm(Math.imul(x, 1 << left), multiplier), right);
}

export function multiplyByQuantizedMultiplierGreaterThanOne(x: number, multiplier: number, leftShift: number): number {
  return srdhm(Math.imul(x, 1 << leftShift), multiplier);
}

/** Saturating left shift by a positive power of two (gemmlowp SaturatingRoundingMultiplyByPOT, exponent > 0). */
export function saturatingShiftLeft(x: number, exponent: number): number {
  const threshold = 2 ** (31 - exponent) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x << exponent;
}

/** gemmlowp RoundingHalfSum for int32. */
export function roundingHalfSum(a: number, b: number): number {
  const sum = a + b;
  return Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/** exp(x) for x in [-1/4, 0), Q0.31 in and out. */
function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
  const constantTerm = 1895147668; // exp(-1/8)
  const constant1Over3 = 715827883;
  const x = (a + (1 << 28)) | 0;
  const x2 = srdhm(x, x);
  const x3 = srdhm(x2, x);
  const x4 = srdhm(x2, x2);
  const x4Over4 = rdbp(x4, 2);
  const poly = rdbp((srdhm((x4Over4 + x3) | 0, constant1Over3) + x2) | 0, 1);
  return (constantTerm + srdhm(constantTerm, (x + poly) | 0)) | 0;
}

const EXP_BARREL: ReadonlyArray<readonly [number, number]> = [
  [-2, 1672461947], // exp(-1/4)
  [-1, 1302514674], // exp(-1/2)
  [0, 790015084], // exp(-1)
  [1, 290630308], // exp(-2)
  [2, 39332535], // exp(-4)
  [3, 720401], // exp(-8)
  [4, 242], // exp(-16)
];

/**
 * exp(a) for a <= 0, `a` in Q(integerBits).(31-integerBits), result Q0.31
 * (gemmlowp exp_on_negative_values). tinyc uses integerBits = 5 (softmax).
 */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 1 << (fractionalBits - 2);
  const mask = oneQuarter - 1;
  const aModQuarterMinusOneQuarter = ((a & mask) - oneQuarter) | 0;
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(saturatingShiftLeft(aModQuarterMinusOneQuarter, integerBits));
  const remainder = (aModQuarterMinusOneQuarter - a) | 0;
  for (const [exponent, multiplier] of EXP_BARREL) {
    if (integerBits > exponent) {
      const shift = fractionalBits + exponent;
      if (remainder & (1 << shift)) result = srdhm(result, multiplier);
    }
  }
  if (integerBits > 5) {
    const clamp = -(1 << (36 - integerBits));
    if (a < clamp) result = 0;
  }
  return a === 0 ? INT32_MAX : result;
}

/** 1 / ((1 + x) / 2) for x in [0, 1) by three Newton-Raphson steps, Q0.31 in, Q2.29 out (gemmlowp's shared division). */
function reciprocalOfHalfSumWithOne(a: number): number {
  const halfDenominator = roundingHalfSum(a, INT32_MAX);
  const c48Over17 = 1515870810;
  const cNeg32Over17 = -1010580540;
  let x = (c48Over17 + srdhm(halfDenominator, cNeg32Over17)) | 0; // Q2.29
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = srdhm(halfDenominator, x);
    const oneMinus = ((1 << 29) - halfDenominatorTimesX) | 0;
    x = (x + saturatingShiftLeft(srdhm(x, oneMinus), 2)) | 0;
  }
  return x;
}

/** 1 / (1 + x) for x in [0, 1), Q0.31 in and out (gemmlowp one_over_one_plus_x_for_x_in_0_1). */
export function oneOverOnePlusXForXIn01(a: number): number {
  return saturatingShiftLeft(reciprocalOfHalfSumWithOne(a), 1);
}

/** (1 − x) / (1 + x) for x in [0, 1), Q0.31 in and out (gemmlowp one_minus_x_over_one_plus_x_for_x_in_0_1). */
export function oneMinusXOverOnePlusXForXIn01(a: number): number {
  return saturatingShiftLeft((reciprocalOfHalfSumWithOne(a) - (1 << 29)) | 0, 2);
}

/** TFLite GetReciprocal: 1/x for x in Q(integerDigits), as a Q0.31 value and a count of bits over unit. */
export function getReciprocal(x: number, integerDigits: number): { reciprocal: number; bitsOverUnit: number } {
  const headroomPlusOne = Math.clz32(x);
  const bitsOverUnit = integerDigits - headroomPlusOne;
  const shiftedSumMinusOne = ((x << headroomPlusOne) ^ 0x80000000) | 0;
  return { reciprocal: oneOverOnePlusXForXIn01(shiftedSumMinusOne), bitsOverUnit };
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

const saturate32 = (v: number) => (v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : v);

/**
 * log(x) for x >= 1 (in practice x >= 1/x_max): `a` in Q(inputIntegerBits), result in
 * Q(outputIntegerBits) (TFLite's log_x_for_x_greater_than_or_equal_to_1, common.h).
 */
export function logXForXGreaterThanOrEqualTo1(a: number, inputIntegerBits: number, outputIntegerBits: number): number {
  const accumBits = outputIntegerBits + 1;
  const log2 = 1488522236, sqrtSqrtHalf = 1805811301, sqrtHalf = 1518500250;
  const alphaN = 117049297, alphaD = 127690142, alphaI = 1057819769, alphaF = 638450708;
  const shiftedQuarter = rdbp(536870912, accumBits);
  const zAHeadroomPlus1 = Math.clz32(a);
  const rATmp = saturatingShiftLeft(a, zAHeadroomPlus1 - 1);
  const rA = saturatingShiftLeft(srdhm(rATmp, sqrtHalf), 1);
  const zAPow2Adj = saturate32(saturatingShiftLeft(inputIntegerBits - zAHeadroomPlus1, 31 - accumBits) + shiftedQuarter);
  const zB = srdhm(a, sqrtHalf);
  const zBHeadroom = Math.clz32(zB) - 1;
  const rB = saturatingShiftLeft(a, zBHeadroom);
  const zBPow2Adj = saturate32(saturatingShiftLeft(inputIntegerBits - zBHeadroom, 31 - accumBits) - shiftedQuarter);
  const r = Math.min(rA, rB);
  const zPow2Adj = Math.max(zAPow2Adj, zBPow2Adj);
  const p = roundingHalfSum(r, sqrtSqrtHalf);
  let q = (r - sqrtSqrtHalf) | 0;
  q = (q + q) | 0;
  const commonSq = srdhm(q, q);
  const num = (srdhm(q, r) + srdhm(srdhm(q, commonSq), alphaN)) | 0;
  const denomMinusOne = (srdhm(p, (((alphaI + q) | 0) + srdhm(alphaD, commonSq)) | 0) + srdhm(alphaF, q)) | 0;
  const recipDenom = oneOverOnePlusXForXIn01(denomMinusOne);
  const numScaled = rdbp(num, accumBits);
  return saturatingShiftLeft((srdhm(zPow2Adj, log2) + srdhm(numScaled, recipDenom)) | 0, accumBits - outputIntegerBits);
}
