/* Exercises every BTF kind clang emits; rebuild with ./build.sh */
typedef unsigned int u32;
typedef unsigned long long u64;
struct node;
struct fwd_only;
union fwd_u;
enum color { RED = 0, GREEN = 1, BLUE = -1 };
enum big { BIG_A = 1ULL << 32, BIG_B = 2 };
enum sbig { SB_A = -5LL, SB_B = 1LL << 40 };
struct my_struct {
	int a;
	u32 b : 3;
	u32 c : 5;
	char name[16];
	struct node *next;
	union { long l; void *p; };
	volatile const int *cvp;
	int arr2[2][3];
	float f;
	double d;
	_Bool flag;
	enum color col;
	struct fwd_only *fo;
	union fwd_u *fu;
	void (*fp)(int, ...);
} __attribute__((btf_decl_tag("st_tag")));
struct node { struct node *next; int __attribute__((btf_decl_tag("member_tag"))) v; };
int __attribute__((btf_type_tag("user"))) *uptr;
struct my_struct gs;
enum big gb;
enum sbig gsb;
static int counter;
int arr[4];
const char msg[] = "hi";
int data_var = 3;
extern int LINUX_KERNEL_VERSION __attribute__((section(".kconfig")));
extern void bpf_rcu_read_lock(void) __attribute__((section(".ksyms")));
struct { int type; int max_entries; } my_map __attribute__((section(".maps")));
static __attribute__((noinline)) int sub(int x __attribute__((btf_decl_tag("argtag"))), int y) { return x + y + counter; }
__attribute__((section("tp/x"))) int prog(void *ctx)
{
	bpf_rcu_read_lock();
	counter++;
	return sub(gs.a, gs.c) + arr[1] + msg[0] + data_var + LINUX_KERNEL_VERSION + (int)gb + (int)gsb + (uptr ? 1 : 0);
}
char _license[] __attribute__((section("license"))) = "GPL";
