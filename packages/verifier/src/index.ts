export { verify, VerifierInputError } from './verify.js';
export { VerifierInternalError } from './errors.js';
export type {
  VerifyInput,
  VerifyOptions,
  VerifyResult,
  VerifyError,
  RelatedInsn,
  VerifyStats,
  VerifierMap,
  SourceLine,
  FuncInfoRec,
  LineInfoRec,
} from './types.js';
export * as scalar from './scalar/index.js';
export { objectProgramInput, objectMaps, linkPlatformFor, type ObjectProgramInput } from './object-input.js';
