/* Ordering: forward declarations, weak cycles, typedefs as forward declarations. */
struct b;
struct opaque;
union uopaque;

struct a {
	struct b *b;
	struct a *self;
	struct opaque *op;
	union uopaque *uop;
};

struct b {
	struct a a;
	struct c *c;
};

struct c {
	struct b *b;
	struct d {
		struct c *back;
		int v;
	} d;
};

typedef struct node node_t;
struct node {
	node_t *next;
	struct list *owner;
};

struct list {
	node_t head;
	struct list *self;
};

typedef struct tnode *tnode_p;
struct tree {
	tnode_p root;
};
struct tnode {
	struct tree *t;
	tnode_p left, right;
};

struct e;
typedef struct e e_t;
struct holder {
	e_t *ep;
	struct f *(*mk)(e_t *);
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
		struct { int x; } s1;
		struct { long y; } s2;
	} named;
};

struct deep {
	struct { struct { struct { struct { struct { struct { struct { struct {
	struct { struct { struct { struct { struct { struct { struct {
		int leaf;
		int (*fn)(struct { int z; } *);
	} l15; } l14; } l13; } l12; } l11; } l10; } l9; } l8; } l7; } l6; } l5; } l4; } l3; } l2; } l1;
};

struct b gb;
struct c gc;
struct list gl;
struct tree gt;
struct e ge;
struct empty_holder geh;
struct anon_nest gan;
struct deep gdeep;
