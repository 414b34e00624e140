// SPDX-License-Identifier: GPL-2.0
/* Kernel oracle for the rbtree port: one operation per BPF_PROG_TEST_RUN on a
 * tree in a private global section; the return value exposes the shape
 * (which key is the root, its children, which key an erase removed).
 * The key to add comes in the first 4 bytes of the test packet.
 * Keys are 0..999; "none" is reported as 999 (+1 = 1000). */
#include <bpfkit.h>

struct node_data {
	long key;
	struct bpf_rb_node node;
};

private_data(S) struct bpf_spin_lock glock;
private_data(S) struct bpf_rb_root groot __contains(node_data, node);

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	struct node_data *na = container_of(a, struct node_data, node);
	struct node_data *nb = container_of(b, struct node_data, node);

	return na->key < nb->key;
}

#define KEY(n) ((n) ? container_of(n, struct node_data, node)->key : 999)

SEC("tc")
int add(struct __sk_buff *ctx)
{
	struct node_data *n;
	__u32 key = 0;

	if (bpf_skb_load_bytes(ctx, 0, &key, 4))
		return -1;
	n = bpf_obj_new(typeof(*n));
	if (!n)
		return -1;
	n->key = key;
	bpf_spin_lock(&glock);
	bpf_rbtree_add(&groot, &n->node, less);
	bpf_spin_unlock(&glock);
	return 0;
}

/* root key * 1e6 + left key * 1e3 + right key (999 = none) */
SEC("tc")
int peek(struct __sk_buff *ctx)
{
	struct bpf_rb_node *r, *l, *rr;
	long v;

	bpf_spin_lock(&glock);
	r = bpf_rbtree_root(&groot);
	if (!r) {
		bpf_spin_unlock(&glock);
		return 999999999;
	}
	l = bpf_rbtree_left(&groot, r);
	rr = bpf_rbtree_right(&groot, r);
	v = KEY(r) * 1000000 + KEY(l) * 1000 + KEY(rr);
	bpf_spin_unlock(&glock);
	return v;
}

/* which: 0 first, 1 root, 2 left child of the root, 3 right child of the root.
 * Returns the removed key, or 999 when there was no such node. */
static __always_inline int remove_one(int which)
{
	struct bpf_rb_node *n;
	long key;

	bpf_spin_lock(&glock);
	if (which == 0)
		n = bpf_rbtree_first(&groot);
	else
		n = bpf_rbtree_root(&groot);
	if (n && which == 2)
		n = bpf_rbtree_left(&groot, n);
	if (n && which == 3)
		n = bpf_rbtree_right(&groot, n);
	if (!n) {
		bpf_spin_unlock(&glock);
		return 999;
	}
	n = bpf_rbtree_remove(&groot, n);
	bpf_spin_unlock(&glock);
	if (!n)
		return -2;
	key = container_of(n, struct node_data, node)->key;
	bpf_obj_drop(container_of(n, struct node_data, node));
	return key;
}

SEC("tc")
int remove_first(struct __sk_buff *ctx) { return remove_one(0); }
SEC("tc")
int remove_root(struct __sk_buff *ctx) { return remove_one(1); }
SEC("tc")
int remove_left(struct __sk_buff *ctx) { return remove_one(2); }
SEC("tc")
int remove_right(struct __sk_buff *ctx) { return remove_one(3); }

char _license[] SEC("license") = "GPL";
