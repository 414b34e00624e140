// calls: the kitchen object without the parts libbpf 1.1 (bpftool 7.1) rejects (.bss.NAME) and
// without pinning, so its libbpf debug trace (calls.libbpf-trace.txt) can serve as a reference
// for relocation interpretation and subprogram appending.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, long); } inner1 SEC(".maps"), inner2 SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
  __uint(max_entries, 4);
  __type(key, int);
  __array(values, struct inner);
} outer SEC(".maps") = { .values = { [1] = &inner2, [3] = &inner1 } };

struct val { long a; int b; };
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 128);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, __u32);
  __type(value, struct val);
} hmap SEC(".maps");

int gcount;
const volatile int cfg = 7;
static long sdata = 3;
long gdata = 5;
#define private(name) SEC(".data." #name) __hidden __attribute__((aligned(8)))
private(A) long priv_a = 9;
static long hb;

extern int LINUX_KERNEL_VERSION __kconfig;
extern _Bool CONFIG_X __kconfig __weak;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym __weak;
extern void *bpf_obj_new_impl(__u64 local_type_id, void *meta) __ksym;

struct node_data { long key; long data; };

static __noinline int sub(int x) { return x * sdata + gcount; }
__noinline int glob_fn(int x) { return x + 1; }
static int cb(__u32 idx, void *ctx) { gcount++; return 0; }

SEC("tp/syscalls/sys_enter_write")
int prog1(void *ctx)
{
  int k = 0;
  struct val *v = bpf_map_lookup_elem(&hmap, &k);
  if (v) v->a++;
  gcount += cfg + LINUX_KERNEL_VERSION + CONFIG_X;
  sdata++; gdata++; priv_a++; hb++;
  bpf_rcu_read_lock();
  bpf_rcu_read_unlock();
  bpf_loop(4, cb, 0, 0);
  return sub(k) + glob_fn(k);
}

SEC("?tc")
int prog2(struct __sk_buff *skb)
{
  void *p = bpf_obj_new_impl(bpf_core_type_id_local(struct node_data), 0);
  return glob_fn(skb->len) + (p != 0);
}

SEC("xdp")
int xprog(struct xdp_md *ctx) { return XDP_PASS; }

SEC("xdp")
int xprog2(struct xdp_md *ctx) { return sub(2); }
