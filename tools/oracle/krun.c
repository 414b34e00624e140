// SPDX-License-Identifier: GPL-2.0
/* krun: run a sequence of programs of one BPF object with BPF_PROG_TEST_RUN, in one load
 * (maps and global data shared), and print their return values as JSON.
 *
 *   krun OBJ DATAHEX PROG[@HEX] [PROG[@HEX] ...]
 *
 * A program named PROG@HEX runs with HEX instead of DATAHEX.
 *
 * Opens OBJ with the system libbpf, enables autoload for the named programs only (this also
 * covers `?` sections), loads, then runs each PROG in the order given with data_in = DATAHEX
 * (repeat=1; syscall programs get the bytes as ctx_in) and prints {"object","ok","error","results":[{"prog","retval","errno"}]}.
 * Nothing is attached or pinned; everything is released on close.
 * Build: gcc -O2 -o krun krun.c -lbpf   (used by tools/oracle/record-runs.mjs)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level; (void)fmt; (void)ap;
	return 0;
}

static int unhex(const char *s, unsigned char *out, int max)
{
	int n = 0;

	while (s[0] && s[1] && n < max) {
		unsigned int b;

		if (sscanf(s, "%2x", &b) != 1)
			return -1;
		out[n++] = b;
		s += 2;
	}
	return n;
}

int main(int argc, char **argv)
{
	static unsigned char data[65536], out[65536], mine[65536];
	static const char *own[256];
	struct bpf_object *obj;
	struct bpf_program *prog;
	int n, i, err;

	if (argc < 4 || argc > 255) {
		fprintf(stderr, "usage: %s OBJ DATAHEX PROG [PROG ...]\n", argv[0]);
		return 2;
	}
	libbpf_set_print(silent);
	n = unhex(argv[2], data, sizeof(data));
	if (n < 0) {
		fprintf(stderr, "bad hex\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		printf("{\"object\": \"%s\", \"ok\": false, \"error\": \"open: %d\", \"results\": []}\n", argv[1], -errno);
		return 0;
	}
	for (i = 3; i < argc; i++) {
		char *at = strchr(argv[i], '@');

		if (at) {
			*at = 0;
			own[i] = at + 1;
		}
	}
	bpf_object__for_each_program(prog, obj) {
		bool want = false;

		for (i = 3; i < argc; i++)
			if (strcmp(bpf_program__name(prog), argv[i]) == 0)
				want = true;
		bpf_program__set_autoload(prog, want);
	}
	err = bpf_object__load(obj);
	if (err) {
		printf("{\"object\": \"%s\", \"ok\": false, \"error\": \"load: %d\", \"results\": []}\n", argv[1], err);
		bpf_object__close(obj);
		return 0;
	}
	printf("{\"object\": \"%s\", \"ok\": true, \"results\": [", argv[1]);
	for (i = 3; i < argc; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = data, .data_size_in = n,
			    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);
		struct bpf_program *p = bpf_object__find_program_by_name(obj, argv[i]);
		int rc;

		const unsigned char *buf = data;
		int len = n;

		if (own[i]) {
			len = unhex(own[i], mine, sizeof(mine));
			buf = mine;
			if (len < 0)
				len = 0;
			opts.data_in = buf;
			opts.data_size_in = len;
		}

		/* syscall programs take the bytes as their context, not as a packet */
		if (p && bpf_program__type(p) == BPF_PROG_TYPE_SYSCALL) {
			opts.data_in = NULL;
			opts.data_size_in = 0;
			opts.data_out = NULL;
			opts.data_size_out = 0;
			opts.ctx_in = buf;
			opts.ctx_size_in = len;
			opts.repeat = 0;	/* syscall test_run refuses repeat, data and duration */
		}
		rc = p ? bpf_prog_test_run_opts(bpf_program__fd(p), &opts) : -ENOENT;

		printf("%s{\"prog\": \"%s\", \"retval\": %d, \"errno\": %d}", i > 3 ? ", " : "", argv[i],
		       (int)opts.retval, rc < 0 ? -rc : 0);
	}
	printf("]}\n");
	bpf_object__close(obj);
	return 0;
}
