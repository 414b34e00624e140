#ifndef __VMLINUX_H__
#define __VMLINUX_H__

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
#endif

typedef int (*binop_t)(int, int);

typedef struct {
	int x;
	int y;
} point_t;

typedef union {
	int i;
	float f;
} num_t;

typedef int arr3_t[3];

typedef arr3_t *parr3_t;

typedef int (*vararg_t)(const char *, ...);

typedef void (*vfn_t)(void);

typedef volatile const int cvint_t;

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
	int (* (*fpa)(void))[3];
	binop_t (*getop)(char);
	void (* (*signal_like)(int, void (*)(int)))(int);
	int __attribute__((btf_type_tag("user"))) *up;
	const int __attribute__((btf_type_tag("user"))) *cup;
	int __attribute__((btf_type_tag("user"))) * __attribute__((btf_type_tag("rcu"))) *uprp;
	volatile const char __attribute__((btf_type_tag("user"))) * const ucvp;
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
		int (*cb)(struct decls *, unsigned long);
		union {
			long l;
			void *p;
		} *pu;
	} ops[2];
	char flex[0];
};

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute pop
#endif

#endif /* __VMLINUX_H__ */
