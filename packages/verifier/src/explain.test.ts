/**
 * Beyond Linux: every rejection of a graph-collection fixture carries a plain-English
 * explanation, and the classes that depend on an earlier instruction point at it
 * (where the leaked reference was acquired, where the lock was taken, where a pointer
 * was invalidated, where ownership passed to a collection). Verdicts themselves are
 * checked against the kernel in fixtures.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseBtf } from '@bpfkit/btf';
import { kernelBtfBytes, loadObject } from '@bpfkit/object';
import { linux618 } from '@bpfkit/platform';
import { explanationOf } from './explain.js';
import { objectProgramInput } from './object-input.js';
import { verify } from './verify.js';
import type { VerifyResult } from './types.js';

const ROOT = new URL('../../../', import.meta.url);
const verdicts = JSON.parse(readFileSync(new URL('fixtures/kernel-verdicts.json', ROOT), 'utf8')) as {
  objects: { name: string; object: string; programs: { name: string; accepted: boolean; firstErrorLine?: string }[] }[];
};

const results = new Map<string, VerifyResult>();
for (const o of verdicts.objects) {
  if (!o.programs.some((p) => !p.accepted)) continue;
  const { spec, btfFixups } = loadObject(new Uint8Array(readFileSync(new URL(o.object, ROOT))), { name: o.name });
  const kernelBtf = spec.btf && btfFixups ? parseBtf(kernelBtfBytes(spec.btf, btfFixups)) : spec.btf;
  for (const p of o.programs) {
    if (p.accepted) continue;
    results.set(p.name, verify(objectProgramInput(spec, p.name, linux618, kernelBtf).input, { logLevel: 0 }));
  }
}

const roles = (name: string) => (results.get(name)?.error?.related ?? []).map((r) => r.role);

describe('explanations of rejections', () => {
  test('every rejected fixture has an explanation', () => {
    expect(results.size).toBeGreaterThan(50);
    const missing = [...results].filter(([, r]) => r.error && !r.error.explanation).map(([k, r]) => `${k}: ${r.error!.message}`);
    expect(missing).toEqual([]);
  });

  test('a leak points at the instruction (and source line) that acquired each reference', () => {
    const leaks = [...results.values()].filter((r) => r.error?.message.startsWith('Unreleased reference'));
    expect(leaks.length).toBeGreaterThan(3);
    for (const r of leaks) {
      const alloc = Number(/alloc_insn=(\d+)/.exec(r.error!.message)![1]);
      const rel = r.error!.related!.find((x) => x.role === 'acquired' || x.role === 'iterator created')!;
      expect(rel.insn).toBe(alloc);
      if (rel.role === 'iterator created') {
        expect(rel.line?.text).toMatch(/bpf_iter_num_new/);
        expect(r.error!.explanation).toMatch(/bpf_iter_num_destroy/);
      } else {
        expect(rel.line?.text).toMatch(/bpf_obj_new|bpf_refcount_acquire|bpf_kptr_xchg|bpf_rbtree_remove|bpf_list_pop/);
        expect(r.error!.explanation).not.toMatch(/iterator/);
      }
    }
    expect(leaks.some((r) => r.error!.related!.some((x) => x.role === 'iterator created'))).toBe(true);
  });

  test.each([
    ['list_wrong_lock_other_object', 'lock taken'],
    ['unlock_different_lock', 'lock taken'],
    ['exit_with_lock_held', 'lock taken'],
    ['helper_call_under_lock', 'lock taken'],
    ['obj_new_under_lock', 'lock taken'],
    ['rb_cb_unlock', 'lock taken'],
    ['obj_use_after_drop', 'released here'],
    ['use_after_unlock_push', 'invalidated here (bpf_spin_unlock)'],
    ['rb_root_after_unlock', 'invalidated here (bpf_spin_unlock)'],
    ['double_push', 'ownership passed to the collection here'],
    ['rb_add_twice', 'ownership passed to the collection here'],
    ['obj_new_no_null_check', 'acquired'],
    ['rc_acquire_maybe_null', 'acquired'],
    ['obj_drop_non_zero_off', 'acquired'],
  ])('%s: related %s', (prog, role) => {
    expect(results.has(prog), `${prog} is a rejected fixture`).toBe(true);
    expect(roles(prog)).toContain(role);
    const rel = results.get(prog)!.error!.related!.find((r) => r.role === role)!;
    expect(rel.line?.line).toBeGreaterThan(0);
  });

  test('the lock-taken line is the bpf_spin_lock call', () => {
    const rel = results.get('helper_call_under_lock')!.error!.related!.find((r) => r.role === 'lock taken')!;
    expect(rel.line?.text).toMatch(/bpf_spin_lock/);
  });

  test('explanations are keyed by the Linux message, unknown messages get none', () => {
    expect(explanationOf('R3 invalid mem access \'scalar\'')).toMatch(/no longer holds a pointer/);
    expect(explanationOf('bpf_spin_lock at off=16 must be held for bpf_rb_root')).toMatch(/same allocation/);
    expect(explanationOf('something the kernel never prints')).toBeUndefined();
  });
});
