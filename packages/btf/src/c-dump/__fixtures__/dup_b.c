/* Duplicate names (linked with dup_a.c). */
struct dup { long b; struct dup *next; };
typedef long dup_t;
enum eb { DUPV = 2, ONLY_B = 3 };
struct amb { int x; };
struct amb_user { struct amb v; };
struct dup gdup_b;
dup_t gdt_b;
enum eb geb;
struct amb_user gau;
