/* Struct layout: bitfields, padding, packed and over-aligned members, unions. */
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

struct bits_gaps {
	unsigned int a: 1;
	unsigned int : 13;
	unsigned int b: 2;
	unsigned long long : 0;
	unsigned int c: 4;
	unsigned long long d: 50;
	unsigned char e: 1;
	char f;
};

struct __attribute__((packed)) packed_s {
	char c;
	int i;
	short s;
	long long l;
};

struct __attribute__((packed)) packed_tail {
	int i;
	char c;
};

struct packed_aligned {
	char c;
	struct packed_s p;
	char d;
	struct packed_tail t[2];
};

struct aligned_s {
	char c;
	long long x __attribute__((aligned(16)));
};

struct over_aligned {
	int a;
	int b __attribute__((aligned(32)));
	char tail[3];
} __attribute__((aligned(64)));

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
} __attribute__((aligned(32)));

union u {
	char c;
	int i;
	long long l;
	unsigned int bf: 5;
	struct bits b;
};

union __attribute__((packed)) pu {
	char c[5];
	int i;
};

struct big_pad {
	char a;
	char b[3] __attribute__((aligned(256)));
	unsigned __int128 q;
	_Bool flag;
	float f;
	double d;
};

struct bits_gaps gg;
struct bits gb;
struct packed_aligned gpa;
struct aligned_s gas;
struct over_aligned goa;
struct holes gh;
struct trailing gt;
union u gu;
union pu gpu;
struct big_pad gbp;

struct markers {
	char a;
	char b __attribute__((aligned(8)));
	short c __attribute__((aligned(16)));
	char d;
	struct {
		char x;
	} e __attribute__((aligned(4)));
	char f;
	long long g: 3;
	long long h: 60;
	int i;
};

struct gap12 {
	char a;
	char b[3] __attribute__((aligned(8)));
	int c;
	char d;
	int e __attribute__((aligned(16)));
};

struct markers gm;
struct gap12 gg12;
