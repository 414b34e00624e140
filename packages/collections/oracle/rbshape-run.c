// SPDX-License-Identifier: GPL-2.0
/* Runs rbshape.bpf.o on the running kernel: reads operations from stdin, one a line
 * ("add KEY", "peek", "remove_first", "remove_root", "remove_left", "remove_right"),
 * runs each with BPF_PROG_TEST_RUN and prints its return value, one a line.
 * Nothing is attached or pinned; everything is released on exit.
 * Build: gcc -O2 -Wall -o rbshape-run rbshape-run.c -lbpf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	char line[128], pkt[64];
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s rbshape.bpf.o < ops\n", argv[0]);
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || libbpf_get_error(obj)) {
		fprintf(stderr, "open failed\n");
		return 1;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "load failed: %d\n", err);
		return 1;
	}
	while (fgets(line, sizeof(line), stdin)) {
		char name[64];
		unsigned key = 0;
		struct bpf_program *p;
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt), .repeat = 1);

		if (sscanf(line, "%63s %u", name, &key) < 1)
			continue;
		memset(pkt, 0, sizeof(pkt));
		memcpy(pkt, &key, 4);
		p = bpf_object__find_program_by_name(obj, name);
		if (!p) {
			fprintf(stderr, "no program %s\n", name);
			return 1;
		}
		err = bpf_prog_test_run_opts(bpf_program__fd(p), &opts);
		if (err) {
			fprintf(stderr, "test_run %s: %d\n", name, err);
			return 1;
		}
		printf("%d\n", (int)opts.retval);
	}
	bpf_object__close(obj);
	return 0;
}
