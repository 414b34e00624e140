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
import { ORDERED, ORDERING, type DumpContext } from './context.js';
import { BtfCDumpError } from './errors.js';

export function orderType(ctx: DumpContext, id: number, throughPtr: boolean): number {
  const state = ctx.orderState;
  if (state[id] === ORDERED) return 1;
  const t = ctx.type(id);

  if (state[id] === ORDERING) {
    // Type loop, resolvable through a forward declaration.
    if ((t.kind === 'STRUCT' || t.kind === 'UNION') && throughPtr && t.nameOff !== 0) return 0;
    throw new BtfCDumpError('UNSATISFIABLE_CYCLE', `unsatisfiable type cycle, id:[${id}]`, id);
  }

  switch (t.kind) {
    case 'INT':
    case 'FLOAT':
      state[id] = ORDERED;
      return 0;

    case 'PTR': {
      const r = orderType(ctx, t.type, true);
      state[id] = ORDERED;
      return r;
    }

    case 'ARRAY':
      return orderType(ctx, t.type, false);

    case 'STRUCT':
    case 'UNION': {
      // Part of a strong link only when embedded, or anonymous (defined inline).
      if (throughPtr && t.nameOff !== 0) return 0;
      state[id] = ORDERING;
      const ms = t.members;
      for (let i = 0; i < ms.length; i++) orderType(ctx, ms[i].type, false);
      if (t.nameOff !== 0) ctx.queue[ctx.queueLen++] = id;
      state[id] = ORDERED;
      return 1;
    }

    case 'ENUM':
    case 'ENUM64':
    case 'FWD':
      // Named or unreferenced enums are top-level declarations.
      if (t.nameOff !== 0 || !ctx.referenced[id]) ctx.queue[ctx.queueLen++] = id;
      state[id] = ORDERED;
      return 1;

    case 'TYPEDEF': {
      const isStrong = orderType(ctx, t.type, throughPtr);
      // Like a struct w.r.t. forward declarations.
      if (throughPtr && !isStrong) return 0;
      ctx.queue[ctx.queueLen++] = id;
      state[id] = ORDERED;
      return 1;
    }

    case 'VOLATILE':
    case 'CONST':
    case 'RESTRICT':
    case 'TYPE_TAG':
      return orderType(ctx, t.type, throughPtr);

    case 'FUNC_PROTO': {
      let isStrong = orderType(ctx, t.returnType, throughPtr) > 0;
      const ps = t.params;
      for (let i = 0; i < ps.length; i++) {
        if (orderType(ctx, ps[i].type, throughPtr) > 0) isStrong = true;
      }
      return isStrong ? 1 : 0;
    }

    case 'FUNC':
    case 'VAR':
    case 'DATASEC':
    case 'DECL_TAG':
      state[id] = ORDERED;
      return 0;

    default:
      throw new BtfCDumpError('BAD_TYPE', `unexpected kind ${t.kind} while ordering`, id);
  }
}
