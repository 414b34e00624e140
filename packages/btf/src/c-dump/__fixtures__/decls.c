/* Declarators: pointers, arrays, function pointers, qualifiers, type tags. */
#define __user __attribute__((btf_type_tag("user")))
#define __rcu __attribute__((btf_type_tag("rcu")))

typedef int (*binop_t)(int, int);
typedef void (*vfn_t)(void);
typedef int (*vararg_t)(const char *fmt, ...);
typedef int arr3_t[3];
typedef arr3_t *parr3_t;
typedef struct { int x, y; } point_t;
typedef union { int i; float f; } num_t;
typedef const volatile int cvint_t;
typedef __builtin_va_list va_list;

struct decls {
	char **pp;
	int * const pc;
	volatile const int *cvp;
	const char * const *cpcp;
	int * restrict rp;
	int arr2[2][3];
	int (*pa)[5];
	int (*apa[2])[3];
	int *ap[4];
	void (*fp)(void);
	int (*fv)(int, ...);
	void (*fparr[4])(int);
	int (*(*fpa)(void))[3];
	binop_t (*getop)(char op);
	void (*(*signal_like)(int, void (*)(int)))(int);
	int __user *up;
	const int __user *cup;
	int __user * __rcu *uprp;
	const volatile char __user * const ucvp;
	point_t pt;
	point_t *ppt;
	num_t nums[2];
	parr3_t p3;
	arr3_t a3;
	vararg_t vf;
	vfn_t vfn;
	cvint_t cv;
	va_list va;
	const arr3_t ca3;
	volatile int va2[2];
	struct {
		int (*cb)(struct decls *self, unsigned long flags);
		union {
			long l;
			void *p;
		} *pu;
	} ops[2];
	char flex[];
};

struct decls gd;
point_t gpt;

int __attribute__((noinline)) sub(int a, const char *b, struct decls *d)
{
	return a + b[0] + d->cv;
}

int entry(void)
{
	return sub(1, "x", &gd);
}
