/* Enums: signedness, sizes, ENUM64, anonymous enums, duplicate enumerators. */
enum color { RED, GREEN = 5, BLUE = -1 };
enum uns { U0 = 0, UMAX = 0xffffffffu };
enum __attribute__((packed)) small { S1, S2 = 200 };
enum __attribute__((packed)) medium { M1 = 300 };
enum big_u { BU1 = 1ULL << 63, BU2 = 1 };
enum big_s { BS1 = -1LL, BS2 = 1LL << 40 };
enum fits64 : unsigned long { F1 = 1, F2 = 2 };
enum empty_like;

struct with_enums {
	enum color c;
	enum uns u;
	enum small s;
	enum medium m;
	enum big_u bu;
	enum big_s bs;
	enum fits64 f;
	enum { INL_A, INL_B = 7 } inl;
	enum __attribute__((packed)) { PA1 } pinl;
	enum empty_like *el;
};

enum { REF_BY_VAR1, REF_BY_VAR2 } ref_by_var;
struct with_enums gwe;

int f(void)
{
	enum { LOCAL1 = 10, LOCAL2 } local = LOCAL2;
	enum { LOCAL3 = 3 } other = LOCAL3;

	return __builtin_btf_type_id(*(typeof(local) *)0, 0) +
	       __builtin_btf_type_id(*(typeof(other) *)0, 0) + local + other;
}
