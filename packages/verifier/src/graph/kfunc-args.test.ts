/** Argument classification of the platform's graph kfuncs (graph-collections.md §2.1, §3.5). */
import { describe, expect, test } from 'vitest';
import { linux618 } from '@bpfkit/platform';
import { kfArgKind } from './kfunc-args.js';

const kinds = (name: string) => linux618.kfunc(name)!.args.map(kfArgKind);

describe('kfunc argument kinds', () => {
  test.each([
    ['bpf_obj_new_impl', ['const', 'ignore']],
    ['bpf_percpu_obj_new_impl', ['const', 'ignore']],
    ['bpf_obj_drop_impl', ['alloc', 'ignore']],
    ['bpf_percpu_obj_drop_impl', ['alloc', 'ignore']],
    ['bpf_refcount_acquire_impl', ['refcounted', 'ignore']],
    ['bpf_list_push_front_impl', ['list_head', 'list_node', 'ignore', 'scalar']],
    ['bpf_list_push_back_impl', ['list_head', 'list_node', 'ignore', 'scalar']],
    ['bpf_list_pop_front', ['list_head']],
    ['bpf_list_back', ['list_head']],
    ['bpf_rbtree_add_impl', ['rb_root', 'rb_node', 'callback', 'ignore', 'scalar']],
    ['bpf_rbtree_remove', ['rb_root', 'rb_node']],
    ['bpf_rbtree_first', ['rb_root']],
    ['bpf_rbtree_left', ['rb_root', 'rb_node']],
    ['bpf_rcu_read_lock', []],
  ] as const)('%s', (name, want) => {
    expect(kinds(name)).toEqual(want);
  });
});
