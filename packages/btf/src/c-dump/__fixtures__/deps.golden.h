#ifndef __VMLINUX_H__
#define __VMLINUX_H__

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
#endif

struct opaque;

union uopaque;

struct b;

struct a {
	struct b *b;
	struct a *self;
	struct opaque *op;
	union uopaque *uop;
};

struct c;

struct b {
	struct a a;
	struct c *c;
};

struct d {
	struct c *back;
	int v;
};

struct c {
	struct b *b;
	struct d d;
};

struct node;

typedef struct node node_t;

struct list;

struct node {
	node_t *next;
	struct list *owner;
};

struct list {
	node_t head;
	struct list *self;
};

struct tnode;

typedef struct tnode *tnode_p;

struct tree {
	tnode_p root;
};

struct e;

typedef struct e e_t;

struct f;

struct holder {
	e_t *ep;
	struct f * (*mk)(e_t *);
};

struct e {
	struct holder h;
};

struct f {
	int x;
};

struct empty {};

struct empty_holder {
	struct empty e;
	int x;
	struct empty tail[0];
};

struct anon_nest {
	int a;
	struct {
		int b;
		union {
			int c;
			struct {
				short d;
				struct a *pa;
			};
		};
	};
	union {
		struct {
			int x;
		} s1;
		struct {
			long y;
		} s2;
	} named;
};

struct deep {
	struct {
		struct {
			struct {
				struct {
					struct {
						struct {
							struct {
								struct {
									struct {
										struct {
											struct {
												struct {
													struct {
													struct {
													struct {
													int leaf;
													int (*fn)(struct {
													int z;
													} *);
													} l15;
													} l14;
													} l13;
												} l12;
											} l11;
										} l10;
									} l9;
								} l8;
							} l7;
						} l6;
					} l5;
				} l4;
			} l3;
		} l2;
	} l1;
};

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute pop
#endif

#endif /* __VMLINUX_H__ */
