/* CO-RE relocations of several kinds; rebuild with ./build.sh */
struct inner { int x; int y; };
struct task { int pid; unsigned int flags : 3; unsigned int mode : 5; struct inner in; long arr[4]; } __attribute__((preserve_access_index));
enum color { RED, GREEN, BLUE = -1 };
__attribute__((section("kprobe/x"))) int prog(struct task *t)
{
	int r = t->pid + t->in.y + (int)t->arr[2];
	r += __builtin_preserve_field_info(t->mode, 0 /* byte_off */);
	r += __builtin_preserve_field_info(t->mode, 1 /* byte_sz */);
	r += __builtin_preserve_field_info(t->mode, 4 /* lshift */);
	r += __builtin_preserve_field_info(t->mode, 5 /* rshift */);
	r += __builtin_preserve_type_info(*t, 1 /* size */);
	r += __builtin_preserve_enum_value(*(typeof(enum color) *)BLUE, 1 /* value */);
	return r;
}
char _license[] __attribute__((section("license"))) = "GPL";
