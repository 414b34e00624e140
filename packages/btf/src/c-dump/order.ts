/**
 * Topological ordering of one dump request (libbpf `btf_dump_order_type`).
 *
 * Only kinds that can be standalone definitions (struct/union/enum/fwd/typedef) get
 * an order state; pointers, arrays, modifiers and prototypes are paths to them. A
 * definition is queued after everything it depends on strongly (by value); a named
 * struct/union reached through a pointer is a weak dependency and is not followed.
 *
 * Returns 1 when the type forms a strong link (typedefs use this to know whether
 * they may be emitted), 0 otherwise. Throws on unbreakable cycles.
 */
import { KIND_NAMES } from '../types.js';
import { ORDERED, ORDERING, type DumpContext } from './context.js';
import { BtfCDumpError } from './errors.js';

export function orderType(ctx: DumpContext, id: number, throughPtr: boolean): number {
  const state = ctx.orderState;
  if (state[id] === ORDERED) return 1;
  ctx.check(id);
  const kind = ctx.kinds[id]!;
  const words = ctx.words;
  const r = ctx.rec[id]!;
  const nameOff = words[r]!;

  if (state[id] === ORDERING) {
    // Type loop, resolvable through a forward declaration.
    if ((kind === 4 /* STRUCT */ || kind === 5 /* UNION */) && throughPtr && nameOff !== 0) return 0;
    throw new BtfCDumpError('UNSATISFIABLE_CYCLE', `unsatisfiable type cycle, id:[${id}]`, id);
  }

  switch (kind) {
    case 1 /* INT */:
    case 16 /* FLOAT */:
      state[id] = ORDERED;
      return 0;

    case 2 /* PTR */: {
      const res = orderType(ctx, words[r + 2]!, true);
      state[id] = ORDERED;
      return res;
    }

    case 3 /* ARRAY */:
      return orderType(ctx, words[r + 3]!, false);

    case 4 /* STRUCT */:
    case 5 /* UNION */: {
      // Part of a strong link only when embedded, or anonymous (defined inline).
      if (throughPtr && nameOff !== 0) return 0;
      state[id] = ORDERING;
      const vlen = words[r + 1]! & 0xffff;
      for (let i = 0, q = r + 4; i < vlen; i++, q += 3) orderType(ctx, words[q]!, false);
      if (nameOff !== 0) ctx.queue[ctx.queueLen++] = id;
      state[id] = ORDERED;
      return 1;
    }

    case 6 /* ENUM */:
    case 19 /* ENUM64 */:
    case 7 /* FWD */:
      // Named or unreferenced enums are top-level declarations.
      if (nameOff !== 0 || !ctx.referenced[id]) ctx.queue[ctx.queueLen++] = id;
      state[id] = ORDERED;
      return 1;

    case 8 /* TYPEDEF */: {
      const isStrong = orderType(ctx, words[r + 2]!, throughPtr);
      // Like a struct w.r.t. forward declarations.
      if (throughPtr && !isStrong) return 0;
      ctx.queue[ctx.queueLen++] = id;
      state[id] = ORDERED;
      return 1;
    }

    case 9 /* VOLATILE */:
    case 10 /* CONST */:
    case 11 /* RESTRICT */:
    case 18 /* TYPE_TAG */:
      return orderType(ctx, words[r + 2]!, throughPtr);

    case 13 /* FUNC_PROTO */: {
      let isStrong = orderType(ctx, words[r + 2]!, throughPtr) > 0;
      const vlen = words[r + 1]! & 0xffff;
      for (let i = 0, q = r + 4; i < vlen; i++, q += 2) {
        if (orderType(ctx, words[q]!, throughPtr) > 0) isStrong = true;
      }
      return isStrong ? 1 : 0;
    }

    case 12 /* FUNC */:
    case 14 /* VAR */:
    case 15 /* DATASEC */:
    case 17 /* DECL_TAG */:
      state[id] = ORDERED;
      return 0;

    default:
      throw new BtfCDumpError('BAD_TYPE', `unexpected kind ${KIND_NAMES[kind] ?? kind} while ordering`, id);
  }
}
