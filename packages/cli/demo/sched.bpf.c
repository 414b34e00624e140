// SPDX-License-Identifier: GPL-2.0
/* A deadline scheduler in BPF graph collections: the `bpfkit demo` program.
 *
 * Tasks are refcounted objects (bpf_obj_new) that sit in two collections of one
 * run queue at once, both protected by the run queue's spin lock:
 *   - an rbtree ordered by deadline (earliest first), and
 *   - a FIFO list in arrival order (used to reap finished tasks lazily).
 * Dispatching takes the earliest deadline out of the tree and stashes it as the
 * CPU's current task with bpf_kptr_xchg; the task it replaces is dropped.
 *
 * Programs (syscall type: the host passes `struct sched_args` as the context):
 *   sched_enqueue   new task {pid, deadline} into the tree and the FIFO
 *   sched_dispatch  earliest deadline → cpus[cpu].curr; returns its pid or -1
 *   sched_reap      pop the oldest FIFO entry: a dispatched task is released,
 *                   a waiting one goes back to the FIFO; returns 1, 0 or -1
 */
#include <bpfkit.h>

#define NR_CPUS 4

struct sched_args {
	__u64 deadline;
	__u32 pid;
	__u32 cpu;
};

struct task {
	__u64 deadline;
	__u32 pid;
	__u32 dispatched;
	struct bpf_refcount ref;
	struct bpf_rb_node rb;
	struct bpf_list_node fifo;
};

struct runqueue {
	struct bpf_spin_lock lock;
	__u64 nr_queued;
	__u64 nr_dispatched;
	struct bpf_rb_root by_deadline __contains(task, rb);
	struct bpf_list_head arrivals __contains(task, fifo);
};

struct cpu_slot {
	__u64 switches;
	struct task __kptr *curr;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct runqueue);
} rq SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NR_CPUS);
	__type(key, int);
	__type(value, struct cpu_slot);
} cpus SEC(".maps");

static bool earlier(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	struct task *ta = container_of(a, struct task, rb);
	struct task *tb = container_of(b, struct task, rb);

	return ta->deadline < tb->deadline;
}

static __always_inline struct runqueue *the_rq(void)
{
	int zero = 0;

	return bpf_map_lookup_elem(&rq, &zero);
}

SEC("syscall")
int sched_enqueue(struct sched_args *args)
{
	struct runqueue *q = the_rq();
	struct task *t, *ref;

	if (!q)
		return -1;
	t = bpf_obj_new(typeof(*t));
	if (!t)
		return -1;
	t->deadline = args->deadline;
	t->pid = args->pid;
	t->dispatched = 0;
	ref = bpf_refcount_acquire(t);	/* second owner: the FIFO */
	bpf_spin_lock(&q->lock);
	bpf_rbtree_add(&q->by_deadline, &t->rb, earlier);
	bpf_list_push_back(&q->arrivals, &ref->fifo);
	q->nr_queued++;
	bpf_spin_unlock(&q->lock);
	return 0;
}

SEC("syscall")
int sched_dispatch(struct sched_args *args)
{
	struct runqueue *q = the_rq();
	struct bpf_rb_node *n = NULL;
	struct task *t, *prev;
	struct cpu_slot *slot;
	int cpu = args->cpu % NR_CPUS;
	int pid;

	if (!q)
		return -1;
	slot = bpf_map_lookup_elem(&cpus, &cpu);
	if (!slot)
		return -1;
	bpf_spin_lock(&q->lock);
	n = bpf_rbtree_first(&q->by_deadline);
	if (n)
		n = bpf_rbtree_remove(&q->by_deadline, n);
	if (n)
		q->nr_dispatched++;
	bpf_spin_unlock(&q->lock);
	if (!n)
		return -1;
	t = container_of(n, struct task, rb);
	t->dispatched = 1;
	pid = t->pid;
	prev = bpf_kptr_xchg(&slot->curr, t);	/* t now belongs to the CPU */
	slot->switches++;
	if (prev)
		bpf_obj_drop(prev);		/* the previous task is done */
	return pid;
}

SEC("syscall")
int sched_reap(struct sched_args *args)
{
	struct runqueue *q = the_rq();
	struct bpf_list_node *l;
	struct task *t;

	if (!q)
		return -1;
	bpf_spin_lock(&q->lock);
	l = bpf_list_pop_front(&q->arrivals);
	bpf_spin_unlock(&q->lock);
	if (!l)
		return -1;
	t = container_of(l, struct task, fifo);
	if (t->dispatched) {
		bpf_obj_drop(t);		/* the FIFO's reference */
		return 1;
	}
	bpf_spin_lock(&q->lock);		/* still waiting: back to the FIFO */
	bpf_list_push_back(&q->arrivals, &t->fifo);
	bpf_spin_unlock(&q->lock);
	return 0;
}

char _license[] SEC("license") = "GPL";
