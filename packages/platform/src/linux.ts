/** The default platform (Linux 6.18) and `createPlatform` for variations of it. */
import { BPF_FUNC_MAX_ID, helperId } from '@bpfkit/isa';
import { PlatformError } from './errors.js';
import { LINUX_618_HELPERS } from './helpers.js';
import { LINUX_618_KFUNCS } from './kfuncs.js';
import { LINUX_618_LIMITS } from './limits.js';
import { findProgType, LINUX_618_PROG_TYPES } from './prog-types.js';
import type { HelperProto, KfuncProto, Limits, Platform, ProgTypeInfo } from './types.js';

export interface PlatformOverrides {
  readonly name?: string;
  /** Replaces the helper table (use `helpers: [...LINUX_618_HELPERS, extra]` to extend). */
  readonly helpers?: readonly HelperProto[];
  /** Number of helper ids with names; defaults to `__BPF_FUNC_MAX_ID` of `@bpfkit/isa`. */
  readonly helperIdCount?: number;
  readonly progTypes?: readonly ProgTypeInfo[];
  /** Merged over the base limits. */
  readonly limits?: Partial<Limits>;
  readonly kfuncs?: readonly KfuncProto[];
}

/** Builds a Platform; table inconsistencies (duplicate ids/names) throw `PlatformError`. */
export function createPlatform(overrides: PlatformOverrides = {}, base?: Platform): Platform {
  const helperList = overrides.helpers ?? (base ? [...base.helpers.values()] : LINUX_618_HELPERS);
  const helpers = new Map<number, HelperProto>();
  const byName = new Map<string, HelperProto>();
  for (const h of helperList) {
    if (!Number.isInteger(h.id) || h.id < 0) throw new PlatformError('BAD_HELPER_TABLE', `helper ${h.name}: bad id ${h.id}`, { helperId: h.id });
    if (helpers.has(h.id)) throw new PlatformError('BAD_HELPER_TABLE', `duplicate helper id ${h.id}`, { helperId: h.id });
    if (byName.has(h.name)) throw new PlatformError('BAD_HELPER_TABLE', `duplicate helper name ${h.name}`, { helperId: h.id });
    if (h.args.length > 5) throw new PlatformError('BAD_HELPER_TABLE', `helper ${h.name}: more than 5 arguments`, { helperId: h.id });
    helpers.set(h.id, h);
    byName.set(h.name, h);
  }
  const progTypes = overrides.progTypes ?? base?.progTypes ?? LINUX_618_PROG_TYPES;
  const seen = new Set<number>();
  for (const t of progTypes) {
    if (seen.has(t.id)) throw new PlatformError('BAD_PROG_TYPE_TABLE', `duplicate program type id ${t.id}`, { progType: t.name });
    seen.add(t.id);
  }
  const limits: Limits = Object.freeze({ ...(base?.limits ?? LINUX_618_LIMITS), ...overrides.limits });
  for (const [k, v] of Object.entries(limits)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new PlatformError('BAD_LIMITS', `limit ${k} must be a positive number`);
  }
  const kfuncs = new Map<string, KfuncProto>();
  const byBtfId = new Map<number, KfuncProto>();
  for (const k of overrides.kfuncs ?? (base ? [...base.kfuncs.values()] : LINUX_618_KFUNCS)) {
    if (kfuncs.has(k.name)) throw new PlatformError('BAD_KFUNC_TABLE', `duplicate kfunc ${k.name}`, { kfunc: k.name });
    kfuncs.set(k.name, k);
    if (k.btfId !== undefined) {
      if (byBtfId.has(k.btfId)) throw new PlatformError('BAD_KFUNC_TABLE', `duplicate kfunc BTF id ${k.btfId}`, { kfunc: k.name });
      byBtfId.set(k.btfId, k);
    }
  }
  return Object.freeze({
    name: overrides.name ?? base?.name ?? 'linux-6.18',
    helpers,
    helperIdCount: overrides.helperIdCount ?? base?.helperIdCount ?? BPF_FUNC_MAX_ID,
    helper: (id: number) => helpers.get(id),
    helperByName: (name: string) => {
      const id = helperId(name);
      return id === undefined ? byName.get(name) : (helpers.get(id) ?? byName.get(name));
    },
    progTypes,
    progType: (key: string | number) => findProgType(progTypes, key),
    limits,
    kfuncs,
    kfunc: (name: string) => kfuncs.get(name),
    kfuncBtfId: (name: string) => kfuncs.get(name)?.btfId,
    kfuncByBtfId: (id: number) => byBtfId.get(id),
  });
}

/** Linux 6.18 as root: the default platform. */
export const linux618: Platform = createPlatform();
