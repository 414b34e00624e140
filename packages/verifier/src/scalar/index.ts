/** Public API of the scalar abstract domain (verifier-core.md §4–§6, §8.2–8.3, §14.3, §15.3). */
export * from './tnum.js';
export {
  type Scalar,
  S64_MIN,
  S64_MAX,
  S32_MIN,
  S32_MAX,
  U32_MAX,
  scalarConst,
  scalarFromImm,
  scalarUnknown,
  scalarFromRange,
  scalarFromSignedRange,
  scalarFromTnum,
  scalarIsConst,
  scalarIsUnknown,
  scalarEquals,
  scalarContains,
  boundsSync,
  scalarInvariantViolation,
  formatInvariantViolation,
} from './bounds.js';
export {
  type AluExt,
  scalarAlu,
  scalarMov,
  scalarZext32,
  scalarTruncate,
  scalarLoadSx,
  scalarSignExtend,
  scalarSignExtend32,
  scalarUnknown32,
  isSafeAluOp,
} from './alu.js';
export { type RefinedPair, isBranchTaken, refineBranch, refineBoth } from './branch.js';
export { rangeWithin, scalarWithin } from './within.js';
export { type FormatScalarOptions, formatScalar, formatScalarRanges, formatSnum, formatUnum } from './format.js';
