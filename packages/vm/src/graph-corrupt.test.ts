/**
 * Regression (issue 5): unverified programs of graph_rbtree_fail.bpf.o, run in checked mode in ONE instance,
 * leave a tree whose top node points at itself (rb_add_twice drops a node that is still linked in `groot`;
 * rb_cb_remove's bpf_obj_new reuses its memory and adds it under itself). The wasm engine used to loop for
 * ever in the next add once `less` had faulted (no more BPF instructions ran, so the budget never tripped).
 * Now every walk of the collections is bounded and the interpreter runs `less` under the budget: both engines
 * end each run with a result or a fault, and agree on it.
 * (A vitest timeout cannot interrupt a synchronous wasm loop; a regression shows as a hung run.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadInstance, RunError, type EngineName } from './index.js';

const OBJ = new URL('../../../fixtures/obj/graph_rbtree_fail.bpf.o', import.meta.url);
const SEQUENCE = ['rb_add_twice', 'rb_cb_remove', 'rb_cb_lock', 'rb_cb_unlock', 'rb_cb_lock', 'rb_cb_remove', 'rb_add_twice'];

async function outcomes(engine: EngineName): Promise<string[]> {
  const vm = await loadInstance(readFileSync(OBJ), { engine, name: 'graph_rbtree_fail', budget: 1_000_000 });
  expect(vm.programs.find((p) => p.name === 'rb_cb_unlock')!.checked).toBe(true);
  return SEQUENCE.map((name) => {
    try {
      return `ok ${vm.run(name, { data: new Uint8Array(64) }).retval}`;
    } catch (e) {
      if (!(e instanceof RunError)) throw e;
      return `fault ${e.code} at ${e.insn}`;
    }
  });
}

describe('a cyclic rbtree left by faulting unverified programs', () => {
  it.each(['wasm', 'ts'] as const)('%s engine: every run ends with a result or a fault', async (engine) => {
    const got = await outcomes(engine);
    expect(got.slice(0, 3)).toEqual(['ok 0', 'ok 0', 'ok 0']);
    expect(got[3]).toBe('fault 7 at 25'); // LOCK: less_unlock releases the caller's lock, then a second time
    // the walk of the cyclic tree is stopped: BAD_ACCESS at the bpf_rbtree_add call naming the node
    expect(got.slice(4)).toEqual(['fault 1 at 17', 'fault 1 at 17', 'fault 1 at 17']);
  }, 20_000);

  it('both engines agree', async () => {
    expect(await outcomes('wasm')).toEqual(await outcomes('ts'));
  }, 20_000);
});
