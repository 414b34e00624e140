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
import type { BtfArray, BtfComposite, BtfFuncProto, BtfRef } from '../types.js';
import { ORDERED, ORDERING, type DumpContext } from './context.js';
import { BtfCDumpError } from './errors.js';
import * as K from './kinds.js';

export function orderType(ctx: DumpContext, id: number, throughPtr: boolean): number {
  const state = ctx.orderState;
  if (state[id] === ORDERED) return 1;
  const t = ctx.type(id);
  const kind = ctx.kinds[id];

  if (state[id] === ORDERING) {
    // Type loop, resolvable through a forward declaration.
    if ((kind === K.K_STRUCT || kind === K.K_UNION) && throughPtr && t.nameOff !== 0) return 0;
    throw new BtfCDumpError('UNSATISFIABLE_CYCLE', `unsatisfiable type cycle, id:[${id}]`, id);
  }

  switch (kind) {
    case K.K_INT:
    case K.K_FLOAT:
      state[id] = ORDERED;
      return 0;

    case K.K_PTR: {
      const r = orderType(ctx, (t as BtfRef).type, true);
      state[id] = ORDERED;
      return r;
    }

    case K.K_ARRAY:
      return orderType(ctx, (t as BtfArray).type, false);

    case K.K_STRUCT:
    case K.K_UNION: {
      // Part of a strong link only when embedded, or anonymous (defined inline).
      if (throughPtr && t.nameOff !== 0) return 0;
      state[id] = ORDERING;
      const ms = (t as BtfComposite).members;
      for (let i = 0; i < ms.length; i++) orderType(ctx, ms[i].type, false);
      if (t.nameOff !== 0) ctx.queue[ctx.queueLen++] = id;
      state[id] = ORDERED;
      return 1;
    }

    case K.K_ENUM:
    case K.K_ENUM64:
    case K.K_FWD:
      // Named or unreferenced enums are top-level declarations.
      if (t.nameOff !== 0 || !ctx.referenced[id]) ctx.queue[ctx.queueLen++] = id;
      state[id] = ORDERED;
      return 1;

    case K.K_TYPEDEF: {
      const isStrong = orderType(ctx, (t as BtfRef).type, throughPtr);
      // Like a struct w.r.t. forward declarations.
      if (throughPtr && !isStrong) return 0;
      ctx.queue[ctx.queueLen++] = id;
      state[id] = ORDERED;
      return 1;
    }

    case K.K_VOLATILE:
    case K.K_CONST:
    case K.K_RESTRICT:
    case K.K_TYPE_TAG:
      return orderType(ctx, (t as BtfRef).type, throughPtr);

    case K.K_FUNC_PROTO: {
      const fp = t as BtfFuncProto;
      let isStrong = orderType(ctx, fp.returnType, throughPtr) > 0;
      const ps = fp.params;
      for (let i = 0; i < ps.length; i++) {
        if (orderType(ctx, ps[i].type, throughPtr) > 0) isStrong = true;
      }
      return isStrong ? 1 : 0;
    }

    case K.K_FUNC:
    case K.K_VAR:
    case K.K_DATASEC:
    case K.K_DECL_TAG:
      state[id] = ORDERED;
      return 0;

    default:
      throw new BtfCDumpError('BAD_TYPE', `unexpected kind ${t.kind} while ordering`, id);
  }
}
