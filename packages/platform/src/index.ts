export type {
  ArgFlag, ArgKind, ArgSpec, CallbackSpec, Caps, CtxAccessFn, CtxAccessOptions, CtxAccessResult, CtxValueKind, HelperProto,
  CtxPointerKind, KfuncArg, KfuncFlag, KfuncGroup, KfuncLockRule, KfuncProto, Limits, PacketAccess, Platform, ProgTypeInfo, RetKind, RetRange, ReturnRange,
} from './types.js';
export { PlatformError, type PlatformErrorCode, type PlatformErrorLocation } from './errors.js';
export { acceptsNull, compatibleRegTypes, formatArg, hasFlag, MEM_REG_TYPES } from './arg-types.js';
export { GENERIC_HELPERS, LINUX_618_HELPERS, LSM_MISC_HELPERS, SPEC_HELPERS, TRACING_HELPERS, VARIANT_HELPERS } from './helpers.js';
export { NET_HELPERS } from './helpers-net.js';
export { availability, BASE_GROUPS, groupIds, helperVariants, ROOT_CAPS, type HelperGroup } from './availability.js';
export { fieldAt, type CtxField } from './ctx/layout.js';
export { checkXdpCtxAccess, XDP_MD_FIELDS, XDP_MD_SIZE } from './ctx/xdp.js';
export {
  checkCgroupSkbCtx, checkFlowDissectorCtx, checkLwtCtx, checkSkSkbCtx, checkSocketFilterCtx, checkTcCtx, SK_BUFF_FIELDS,
  SK_BUFF_SIZE,
} from './ctx/skbuff.js';
export { checkSyscallCtx, SYSCALL_CTX_MAX } from './ctx/syscall.js';
export {
  checkBtfArgsCtx, checkKprobeCtx, checkPerfEventCtx, checkRawTpCtx, checkRawTpWritableCtx, checkTracepointCtx, PERF_EVENT_DATA_SIZE,
  PT_REGS_FIELDS, PT_REGS_SIZE, RAW_TP_CTX_SIZE, TRACEPOINT_CTX_MAX,
} from './ctx/tracing.js';
export { checkCtxAccess } from './ctx-access.js';
export { findProgType, LINUX_618_PROG_TYPES, PROG_TYPE_NAMES } from './prog-types.js';
export { returnRangeFor, type ReturnRangeContext } from './return-ranges.js';
export { LINUX_618_LIMITS } from './limits.js';
export { createPlatform, linux618, type PlatformOverrides } from './linux.js';
export { mapHelperCompatible } from './map-pairing.js';
export { LINUX_618_KFUNCS } from './kfuncs.js';
