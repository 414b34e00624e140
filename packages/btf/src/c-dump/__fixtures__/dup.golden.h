#ifndef __VMLINUX_H__
#define __VMLINUX_H__

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
#endif

struct dup {
	int a;
};

typedef int dup_t;

enum ea {
	DUPV = 1,
	ONLY_A = 2,
};

struct amb;

struct amb_holder_a {
	struct amb *p;
};

struct dup___2 {
	long b;
	struct dup___2 *next;
};

typedef long dup_t___2;

enum eb {
	DUPV___2 = 2,
	ONLY_B = 3,
};

struct amb {
	int x;
};

struct amb_user {
	struct amb v;
};

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute pop
#endif

#endif /* __VMLINUX_H__ */
