#ifndef __VMLINUX_H__
#define __VMLINUX_H__

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
#endif

enum {
	LOCAL1 = 10,
	LOCAL2 = 11,
};

enum {
	LOCAL3 = 3,
};

enum color {
	RED = 0,
	GREEN = 5,
	BLUE = -1,
};

enum uns {
	U0 = 0,
	UMAX = 4294967295,
};

enum small {
	S1 = 0,
	S2 = 200,
};

enum medium {
	M1 = 300,
};

enum big_u {
	BU1 = 9223372036854775808ULL,
	BU2 = 1ULL,
};

enum big_s {
	BS1 = -1LL,
	BS2 = 1099511627776LL,
};

enum fits64 {
	F1 = 1ULL,
	F2 = 2ULL,
};

enum empty_like;

struct with_enums {
	enum color c;
	enum uns u;
	enum small s;
	enum medium m;
	enum big_u bu;
	enum big_s bs;
	enum fits64 f;
	enum {
		INL_A = 0,
		INL_B = 7,
	} inl;
	enum {
		PA1 = 0,
	} pinl;
	enum empty_like *el;
};

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute pop
#endif

#endif /* __VMLINUX_H__ */
