#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/lineage.h"
#include "core/status.h"
#include "core/thread.h"
#include "tool/cli.h"
#include "tool/lanes.h"
#include "tool/log.h"

/*
 * Lines per lane and round: a hand-over costs a few microseconds, a batch
 * some milliseconds of work, and a round's batches stay in cache.
 */
#define BATCH 256
#define BATCH_BYTES (256 * 1024)

/* What became of a line. */
enum { ITEM_NEW, ITEM_OUT, ITEM_BAD, ITEM_CUT };

struct item {
	const char *file;
	unsigned long line;
	size_t off, len; /* the line, in the lane's in */
	int what;
	int repaired;		  /* its UTF-8 was repaired */
	size_t out_end, side_end; /* where its output and side bytes end */
	size_t why, text, tlen;	  /* a bad one's reason and text, in msgs */
};

struct lane {
	struct lp_lanes *l;
	void *ctx;
	struct lp_buf in;   /* the batch's lines */
	struct lp_buf out;  /* the records kept, stamped */
	struct lp_buf side; /* their side bytes */
	struct lp_buf msgs; /* reasons and texts of the bad ones */
	struct lp_buf fixed;
	struct item *items;
	size_t n, cap;
	struct lp_record rec;
	unsigned long long n_repaired; /* lines it repaired */
	struct lp_worker w;
};

struct lp_lanes {
	struct lp_run *run;
	int (*fn)(void *ctx, struct lp_record *rec, struct lp_buf *side,
	    struct lp_error *err);
	void (*side)(void *arg, const char *p, size_t n);
	void (*tally)(void *arg, void *ctx, int keep);
	void *arg;
	struct lane *lane;
	int n;
	int fatal; /* the input could not be read on: said after the flush */
};

/* Note why a line or record is bad, and its text, for the policy. */
static void
refuse(struct lane *ln, struct item *it, const char *why, const char *text,
    size_t len)
{
	it->what = ITEM_BAD;
	it->why = ln->msgs.len;
	lp_buf_add(&ln->msgs, why, strlen(why) + 1);
	it->text = ln->msgs.len;
	it->tlen = len;
	lp_buf_add(&ln->msgs, text, len);
}

/* One line: parsed, given to the stage, stamped; or refused. */
static void
one(struct lane *ln, struct item *it)
{
	const struct lp_run *run = ln->l->run;
	struct lp_record *rec = &ln->rec;
	const char *line = it->len > 0 ? ln->in.p + it->off : "";
	size_t len = it->len, side = ln->side.len, out = ln->out.len;
	struct lp_error err;
	unsigned long long repaired = ln->n_repaired;
	int rc;

	rc = lp_run_parse(run, rec, &ln->fixed, &line, &len, &ln->n_repaired);
	it->repaired = ln->n_repaired != repaired;
	if (rc != LP_OK) {
		refuse(ln, it, rec->err.msg, line, len);
		return;
	}
	rec->file = it->file;
	rec->line = it->line;
	if (ln->l->fn(ln->ctx, rec, &ln->side, &err) != LP_OK) {
		ln->side.len = side; /* not in the dataset */
		refuse(ln, it, err.msg, rec->text, rec->len);
		return;
	}
	if (lp_lineage_stamp(&run->lineage, rec, lp_lineage_now(&run->lineage),
		&ln->out) != LP_OK) {
		ln->out.len = out;
		ln->side.len = side;
		refuse(ln, it, rec->err.msg, rec->text, rec->len);
		return;
	}
	it->what = ITEM_OUT;
}

/* A lane's work on its batch: on a worker, or on the calling thread. */
static void
work(void *arg)
{
	struct lane *ln = arg;
	size_t i;

	lp_buf_reset(&ln->out);
	lp_buf_reset(&ln->side);
	for (i = 0; i < ln->n; i++) {
		struct item *it = &ln->items[i];

		if (it->what == ITEM_NEW)
			one(ln, it);
		it->out_end = ln->out.len;
		it->side_end = ln->side.len;
		/* The run stops there: what follows is not cleaned. */
		if (it->what != ITEM_OUT &&
		    lp_opts.on_error == LP_ON_ERROR_FAIL)
			break;
	}
}

/* Read a batch into ln: 1 if the input may hold more, 0 at its end. */
static int
fill(struct lp_lanes *l, struct lane *ln)
{
	struct lp_run *run = l->run;
	const char *line;
	size_t len;
	int rc;

	lp_buf_reset(&ln->in);
	lp_buf_reset(&ln->msgs);
	ln->n = 0;
	while (ln->n < BATCH && ln->in.len < BATCH_BYTES) {
		struct item *it;

		if ((rc = lp_run_read(run, &line, &len)) == LP_FATAL)
			l->fatal = 1;
		if (rc == LP_EOF || rc == LP_FATAL)
			return 0;
		if (ln->n == ln->cap) {
			ln->cap = ln->cap ? ln->cap * 2 : BATCH;
			ln->items = lp_xrealloc(
			    ln->items, ln->cap * sizeof(*ln->items));
		}
		it = &ln->items[ln->n++];
		it->file = lp_reader_name(&run->in);
		it->line = lp_reader_lineno(&run->in);
		it->off = ln->in.len;
		it->len = len;
		lp_buf_add(&ln->in, line, len);
		it->what = ITEM_NEW;
		it->repaired = 0;
		if (rc == LP_FAILED) {
			/* The reader's refusal: the line as it was cut. */
			it->what = ITEM_CUT;
			it->why = ln->msgs.len;
			lp_buf_add(&ln->msgs, run->in.err.msg,
			    strlen(run->in.err.msg) + 1);
		}
	}
	return 1;
}

/*
 * Write a lane's batch in order, bad lines through the policy.  LP_OK, or
 * LP_EOF with *done the lines dealt with, the last the one that stopped.
 * Each record is written as the one-lane loop writes it, so an output
 * that fails stops at the same record.
 */
static int
flush(struct lp_lanes *l, struct lane *ln, size_t *done)
{
	size_t i, out = 0, side = 0;

	for (i = 0; i < ln->n; i++) {
		const struct item *it = &ln->items[i];
		const char *text;

		*done = i + 1;
		l->run->n_repaired += (unsigned long long)it->repaired;
		if (it->what == ITEM_OUT) {
			if (lp_run_write(l->run, ln->out.p + out,
				it->out_end - out, 1) != LP_OK)
				return LP_EOF;
			out = it->out_end;
			if (l->side != NULL && it->side_end > side)
				l->side(l->arg, ln->side.p + side,
				    it->side_end - side);
			side = it->side_end;
			continue;
		}
		if (it->what == ITEM_BAD)
			text = ln->msgs.p + it->text;
		else
			text = it->len > 0 ? ln->in.p + it->off : "";
		if (lp_run_bad(l->run, it->file, it->line, ln->msgs.p + it->why,
			text, it->what == ITEM_CUT ? it->len : it->tlen,
			it->what == ITEM_CUT) != LP_OK)
			return LP_EOF;
	}
	*done = ln->n;
	return LP_OK;
}

struct lp_lanes *
lp_lanes_new(struct lp_run *run, int n,
    int (*fn)(void *ctx, struct lp_record *rec, struct lp_buf *side,
	struct lp_error *err),
    void **ctx, void (*side)(void *arg, const char *p, size_t n),
    void (*tally)(void *arg, void *ctx, int keep), void *arg)
{
	struct lp_lanes *l = lp_xmalloc(sizeof(*l));
	int i, rc;

	memset(l, 0, sizeof(*l));
	l->run = run;
	l->fn = fn;
	l->side = side;
	l->tally = tally;
	l->arg = arg;
	n = n > 0 ? n : 1;
	l->lane = lp_xmalloc((size_t)n * sizeof(*l->lane));
	memset(l->lane, 0, (size_t)n * sizeof(*l->lane));
	for (i = 0; i < n; i++) {
		struct lane *ln = &l->lane[i];

		ln->l = l;
		ln->ctx = ctx[i];
		lp_record_init(&ln->rec);
		/* Lane 0 is the caller's; without a worker, fewer lanes. */
		if (i > 0 && (rc = lp_worker_start(&ln->w, work, ln)) != 0) {
			lp_record_release(&ln->rec);
			if (lp_verbosity > 0)
				lp_warnx("no thread for lane %d of %d (%s): "
					 "%d lanes",
				    i + 1, n, strerror(rc), i);
			break;
		}
		l->n = i + 1;
	}
	return l;
}

struct lp_buf *
lp_lanes_side(struct lp_lanes *l, int i)
{
	return &l->lane[i].side;
}

int
lp_lanes_count(const struct lp_lanes *l)
{
	return l->n;
}

void
lp_lanes_run(struct lp_lanes *l)
{
	int k, nf, more = 1, stop = 0;

	while (more && !stop) {
		/*
		 * The workers' batches are read first, each started as soon
		 * as it is read; lane 0's last, then worked here.
		 */
		for (nf = 0; nf < l->n && more; nf++) {
			struct lane *ln = &l->lane[(nf + 1) % l->n];

			more = fill(l, ln);
			if (ln != &l->lane[0])
				lp_worker_post(&ln->w);
		}
		if (nf == l->n)
			work(&l->lane[0]);
		for (k = 0; k < nf; k++) {
			struct lane *ln = &l->lane[(k + 1) % l->n];

			if (ln != &l->lane[0])
				lp_worker_wait(&ln->w);
			else
				break;
		}
		for (k = 0; k < nf; k++) {
			struct lane *ln = &l->lane[(k + 1) % l->n];
			size_t done;

			if (stop) {
				/* Past the stop: neither read nor counted. */
				l->run->n_in -= ln->n;
				l->tally(l->arg, ln->ctx, 0);
				continue;
			}
			if (flush(l, ln, &done) != LP_OK) {
				stop = 1;
				l->run->n_in -= ln->n - done;
			}
			l->tally(l->arg, ln->ctx, 1);
		}
		/* Said as the one-lane loop says it: after the lines before. */
		if (l->fatal && !stop)
			lp_run_read_failed(l->run);
	}
}

void
lp_lanes_free(struct lp_lanes *l)
{
	int i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		struct lane *ln = &l->lane[i];

		if (i > 0)
			lp_worker_stop(&ln->w);
		lp_record_release(&ln->rec);
		lp_buf_release(&ln->in);
		lp_buf_release(&ln->out);
		lp_buf_release(&ln->side);
		lp_buf_release(&ln->msgs);
		lp_buf_release(&ln->fixed);
		free(ln->items);
	}
	free(l->lane);
	free(l);
}

int
lp_lanes_default(void)
{
	cpu_set_t set;
	long n;

	/* Those of the affinity mask (taskset, a container's cpuset). */
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 4 ? 4 : (int)n;
}
