/**
 * The kfuncs of Linux 6.18 that bpfkit knows (graph-collections.md §2.1; iterators for numeric loops).
 * Declared once here; the verifier checks calls against these prototypes and the runtime binds an
 * implementation to each name. BTF ids are those of the vmlinux this table was taken from
 * (Linux 6.18.44, x86_64); programs only ever name kfuncs, the linker turns names into these ids.
 */
import type { KfuncProto } from './types.js';

const PTR = 'void *';
const META = { name: 'meta__ign', type: PTR } as const;

export const LINUX_618_KFUNCS: readonly KfuncProto[] = [
  // allocation and release of local objects
  { name: 'bpf_obj_new_impl', btfId: 65205, group: 'alloc', ret: PTR, args: [{ name: 'local_type_id__k', type: 'u64' }, META], flags: ['KF_ACQUIRE', 'KF_RET_NULL'], lock: 'forbidden' },
  { name: 'bpf_percpu_obj_new_impl', btfId: 65248, group: 'alloc', ret: PTR, args: [{ name: 'local_type_id__k', type: 'u64' }, META], flags: ['KF_ACQUIRE', 'KF_RET_NULL'], lock: 'forbidden' },
  { name: 'bpf_obj_drop_impl', btfId: 65191, group: 'alloc', ret: 'void', args: [{ name: 'p__alloc', type: PTR }, META], flags: ['KF_RELEASE'], lock: 'forbidden' },
  { name: 'bpf_percpu_obj_drop_impl', btfId: 65246, group: 'alloc', ret: 'void', args: [{ name: 'p__alloc', type: PTR }, META], flags: ['KF_RELEASE'], lock: 'forbidden' },
  { name: 'bpf_refcount_acquire_impl', btfId: 65487, group: 'alloc', ret: PTR, args: [{ name: 'p__refcounted_kptr', type: PTR }, META], flags: ['KF_ACQUIRE', 'KF_RET_NULL', 'KF_RCU'], lock: 'allowed' },
  // lists
  { name: 'bpf_list_push_front_impl', btfId: 64456, group: 'graph', ret: 'int', args: [{ name: 'head', type: 'struct bpf_list_head *' }, { name: 'node', type: 'struct bpf_list_node *' }, META, { name: 'off', type: 'u64' }], flags: [], lock: 'required' },
  { name: 'bpf_list_push_back_impl', btfId: 64454, group: 'graph', ret: 'int', args: [{ name: 'head', type: 'struct bpf_list_head *' }, { name: 'node', type: 'struct bpf_list_node *' }, META, { name: 'off', type: 'u64' }], flags: [], lock: 'required' },
  { name: 'bpf_list_pop_front', btfId: 64451, group: 'graph', ret: 'struct bpf_list_node *', args: [{ name: 'head', type: 'struct bpf_list_head *' }], flags: ['KF_ACQUIRE', 'KF_RET_NULL'], lock: 'required' },
  { name: 'bpf_list_pop_back', btfId: 64449, group: 'graph', ret: 'struct bpf_list_node *', args: [{ name: 'head', type: 'struct bpf_list_head *' }], flags: ['KF_ACQUIRE', 'KF_RET_NULL'], lock: 'required' },
  { name: 'bpf_list_front', btfId: 64445, group: 'graph', ret: 'struct bpf_list_node *', args: [{ name: 'head', type: 'struct bpf_list_head *' }], flags: ['KF_RET_NULL'], lock: 'required', since: '6.16' },
  { name: 'bpf_list_back', btfId: 64443, group: 'graph', ret: 'struct bpf_list_node *', args: [{ name: 'head', type: 'struct bpf_list_head *' }], flags: ['KF_RET_NULL'], lock: 'required', since: '6.16' },
  // red-black trees
  { name: 'bpf_rbtree_add_impl', btfId: 65458, group: 'graph', ret: 'int', args: [{ name: 'root', type: 'struct bpf_rb_root *' }, { name: 'node', type: 'struct bpf_rb_node *' }, { name: 'less', type: 'bool (*)(struct bpf_rb_node *, const struct bpf_rb_node *)' }, META, { name: 'off', type: 'u64' }], flags: [], lock: 'required' },
  { name: 'bpf_rbtree_remove', btfId: 65466, group: 'graph', ret: 'struct bpf_rb_node *', args: [{ name: 'root', type: 'struct bpf_rb_root *' }, { name: 'node', type: 'struct bpf_rb_node *' }], flags: ['KF_ACQUIRE', 'KF_RET_NULL'], lock: 'required' },
  { name: 'bpf_rbtree_first', btfId: 65461, group: 'graph', ret: 'struct bpf_rb_node *', args: [{ name: 'root', type: 'struct bpf_rb_root *' }], flags: ['KF_RET_NULL'], lock: 'required' },
  { name: 'bpf_rbtree_root', btfId: 65470, group: 'graph', ret: 'struct bpf_rb_node *', args: [{ name: 'root', type: 'struct bpf_rb_root *' }], flags: ['KF_RET_NULL'], lock: 'required', since: '6.16' },
  { name: 'bpf_rbtree_left', btfId: 65464, group: 'graph', ret: 'struct bpf_rb_node *', args: [{ name: 'root', type: 'struct bpf_rb_root *' }, { name: 'node', type: 'struct bpf_rb_node *' }], flags: ['KF_RET_NULL'], lock: 'required', since: '6.16' },
  { name: 'bpf_rbtree_right', btfId: 65468, group: 'graph', ret: 'struct bpf_rb_node *', args: [{ name: 'root', type: 'struct bpf_rb_root *' }, { name: 'node', type: 'struct bpf_rb_node *' }], flags: ['KF_RET_NULL'], lock: 'required', since: '6.16' },
  // RCU read-side sections
  { name: 'bpf_rcu_read_lock', btfId: 65472, group: 'rcu', ret: 'void', args: [], flags: [], lock: 'forbidden' },
  { name: 'bpf_rcu_read_unlock', btfId: 65474, group: 'rcu', ret: 'void', args: [], flags: [], lock: 'forbidden' },
  // numeric open-coded iterators (bpf_for / bpf_repeat)
  { name: 'bpf_iter_num_new', btfId: 64233, group: 'iter', ret: 'int', args: [{ name: 'it', type: 'struct bpf_iter_num *' }, { name: 'start', type: 'int' }, { name: 'end', type: 'int' }], flags: ['KF_ITER_NEW'], lock: 'allowed' },
  { name: 'bpf_iter_num_next', btfId: 64236, group: 'iter', ret: 'int *', args: [{ name: 'it', type: 'struct bpf_iter_num *' }], flags: ['KF_ITER_NEXT', 'KF_RET_NULL'], lock: 'allowed' },
  { name: 'bpf_iter_num_destroy', btfId: 64230, group: 'iter', ret: 'void', args: [{ name: 'it', type: 'struct bpf_iter_num *' }], flags: ['KF_ITER_DESTROY'], lock: 'allowed' },
  // casts
  { name: 'bpf_cast_to_kern_ctx', btfId: 63539, group: 'other', ret: PTR, args: [{ name: 'obj', type: PTR }], flags: [], lock: 'forbidden' },
  { name: 'bpf_rdonly_cast', btfId: 65477, group: 'other', ret: PTR, args: [{ name: 'obj__ign', type: 'const void *' }, { name: 'btf_id__k', type: 'u32' }], flags: [], lock: 'forbidden' },
];
