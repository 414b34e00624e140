/* Duplicate names (linked with dup_b.c): structs, typedefs, enumerators, forwards. */
struct dup { int a; };
typedef int dup_t;
enum ea { DUPV = 1, ONLY_A = 2 };
struct amb;
struct amb_holder_a { struct amb *p; };
struct dup gdup_a;
dup_t gdt_a;
enum ea gea;
struct amb_holder_a gaha;
