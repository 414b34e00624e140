/* Graph-collection special fields as the selftests write them; rebuild with ./build.sh */
struct bpf_spin_lock { unsigned int val; };
struct bpf_list_head { unsigned long long __opaque[2]; } __attribute__((aligned(8)));
struct bpf_list_node { unsigned long long __opaque[3]; } __attribute__((aligned(8)));
struct bpf_rb_root { unsigned long long __opaque[2]; } __attribute__((aligned(8)));
struct bpf_rb_node { unsigned long long __opaque[4]; } __attribute__((aligned(8)));
struct bpf_refcount { unsigned int __opaque[1]; } __attribute__((aligned(4)));
#define __contains(name, node) __attribute__((btf_decl_tag("contains:" #name ":" #node)))
#define __kptr __attribute__((btf_type_tag("kptr")))
#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define private(name) __attribute__((section(".data." #name), aligned(8)))

struct node_data {
	long key;
	struct bpf_list_node node;
	struct bpf_rb_node r;
	struct bpf_refcount ref;
};
struct map_value {
	struct bpf_spin_lock lock;
	struct bpf_list_head head __contains(node_data, node);
	struct bpf_rb_root root __contains(node_data, r);
	struct node_data __kptr *stash;
	struct node_data __kptr_untrusted *peek;
};
private(A) struct bpf_spin_lock glock;
private(A) struct bpf_list_head ghead __contains(node_data, node);

struct map_value mv;
struct node_data nd;
__attribute__((section("tc"))) int prog(void *ctx) { return mv.lock.val + (int)nd.key + (int)(long)&ghead + (int)glock.val; }
char _license[] __attribute__((section("license"))) = "GPL";
