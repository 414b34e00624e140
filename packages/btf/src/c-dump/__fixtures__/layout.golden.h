#ifndef __VMLINUX_H__
#define __VMLINUX_H__

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
#endif

struct bits_gaps {
	unsigned int a: 1;
	char: 7;
	char: 6;
	unsigned int b: 2;
	long: 48;
	unsigned int c: 4;
	unsigned long long d: 50;
	unsigned char e: 1;
	char f;
};

struct bits {
	unsigned int a: 3;
	unsigned int b: 5;
	int c: 7;
	unsigned long long d: 40;
	char e;
	unsigned short f: 2;
	unsigned int g: 1;
	long h;
	unsigned char i: 1;
};

struct packed_s {
	char c;
	int i;
	short s;
	long long l;
} __attribute__((packed));

struct packed_tail {
	int i;
	char c;
} __attribute__((packed));

struct packed_aligned {
	char c;
	struct packed_s p;
	char d;
	struct packed_tail t[2];
};

struct aligned_s {
	char c;
	long: 64;
	long long x;
	long: 64;
};

struct over_aligned {
	int a;
	long: 64;
	long: 64;
	long: 64;
	int b;
	char tail[3];
	long: 64;
	long: 64;
	long: 64;
};

struct holes {
	char a;
	long b;
	char c;
	short d;
	char e;
	int f;
	char g;
};

struct trailing {
	long a;
	char b;
	long: 64;
	long: 64;
};

union u {
	char c;
	int i;
	long long l;
	unsigned int bf: 5;
	struct bits b;
};

union pu {
	char c[5];
	int i;
};

struct big_pad {
	char a;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	char b[3];
	long: 64;
	unsigned __int128 q;
	bool flag;
	float f;
	double d;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
	long: 64;
};

struct markers {
	char a;
	long: 0;
	char b;
	long: 0;
	short c;
	char d;
	int: 0;
	struct {
		char x;
	} e;
	char f;
	long long g: 3;
	long: 13;
	long long h: 60;
	int i;
	long: 64;
};

struct gap12 {
	char a;
	long: 0;
	char b[3];
	int c;
	char d;
	long: 64;
	int e;
	long: 64;
};

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute pop
#endif

#endif /* __VMLINUX_H__ */
