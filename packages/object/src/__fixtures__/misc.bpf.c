// misc: prog-array initial slots, a bloom filter with map_extra, string literals
// (.rodata.str1.1), typed and typeless __ksym variables, sleepable fentry, socket filter.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("socket")
int tail0(struct __sk_buff *skb) { return 0; }

SEC("socket")
int tail1(struct __sk_buff *skb) { return 1; }

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, 4);
  __type(key, __u32);
  __array(values, int (void *));
} jmp SEC(".maps") = { .values = { [0] = (void *)&tail0, [2] = (void *)&tail1 } };

struct {
  __uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
  __uint(max_entries, 64);
  __uint(value_size, 8);
  __uint(map_extra, 3);
  __uint(numa_node, 0);
} bloom SEC(".maps");

extern const void bpf_prog_active __ksym;          /* typeless */
extern const int bpf_sched_typed_var __ksym __weak; /* typed, weak */

SEC("fentry.s/do_sys_open")
int fs(void *ctx)
{
  bpf_printk("hello %d", 1);
  return (long)&bpf_prog_active + (long)&bpf_sched_typed_var != 0;
}

SEC("socket")
int entry(struct __sk_buff *skb)
{
  bpf_tail_call(skb, &jmp, 0);
  return 2;
}
