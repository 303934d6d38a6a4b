#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/status.h"
#include "tool/cli.h"
#include "tool/lanes.h"
#include "tool/log.h"
#include "tool/run.h"
#include "test.h"

static const struct lp_tool tool = {
    "lp-test", "[file ...]", "test", NULL, 0, NULL};

/* A lane's context: what it kept, and the run's total. */
struct ctx {
	long long kept;
};

/* Keep a record unless it says "refuse"; note its id as a side line. */
static int
stage(
    void *arg, struct lp_record *rec, struct lp_buf *side, struct lp_error *err)
{
	struct ctx *c = arg;
	const char *id = lp_record_get_str(rec, "id");

	/* Append first: a refused record's side bytes must be dropped. */
	lp_buf_addf(side, "%s\n", id != NULL ? id : "?");
	if (lp_record_get(rec, "refuse") != NULL)
		return lp_error_set(err, "refused %s", id);
	lp_record_put(rec, "seen", json_true());
	c->kept++;
	return LP_OK;
}

static struct lp_buf sides;
static long long total, dropped_counts;

static void
side(void *arg, const char *p, size_t n)
{
	(void)arg;
	lp_buf_add(&sides, p, n);
}

static void
tally(void *arg, void *ctx, int keep)
{
	struct ctx *c = ctx;

	(void)arg;
	if (keep)
		total += c->kept;
	else
		dropped_counts += c->kept;
	c->kept = 0;
}

/* 3000 lines: bad JSON every 97th, a refused record every 89th. */
static char *
input(size_t *n)
{
	struct lp_buf b = LP_BUF_INIT;
	int i;

	for (i = 1; i <= 3000; i++) {
		if (i % 97 == 0)
			lp_buf_adds(&b, "{bad\n");
		else if (i % 89 == 0)
			lp_buf_addf(&b, "{\"id\":\"r%d\",\"refuse\":1}\n", i);
		else
			lp_buf_addf(&b, "{\"id\":\"%d\",\"title\":\"t\"}\n", i);
	}
	*n = b.len;
	return b.p;
}

static char *
slurp(const char *path)
{
	struct lp_buf b = LP_BUF_INIT;
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		lp_buf_add(&b, buf, n);
	fclose(f);
	lp_buf_addc(&b, '\0');
	return b.p;
}

struct result {
	char *out, *q, *side, *stats;
	long long total, dropped;
	int status;
};

/*
 * The one-lane loop the lanes stand for: lp_run_next(), the stage, then
 * lp_run_emit(), the side bytes of a kept record handed on as it is.
 */
static void
run_loop(struct lp_run *run, struct ctx *c)
{
	struct lp_buf s = LP_BUF_INIT;
	struct lp_record *rec;
	struct lp_error err;

	while (lp_run_next(run, &rec) == LP_OK) {
		lp_buf_reset(&s);
		if (stage(c, rec, &s, &err) != LP_OK) {
			if (lp_run_reject(run, rec, err.msg) != LP_OK)
				break;
			continue;
		}
		if (lp_run_emit(run, rec) != LP_OK)
			break;
		side(NULL, s.p, s.len);
	}
	tally(NULL, c, 1);
	lp_buf_release(&s);
}

/*
 * The whole input through n lanes under the policy given; n 0: through
 * the one-lane loop instead.
 */
static void
run_lanes(const char *path, int n, int policy, struct result *r)
{
	char dir[] = "/tmp/lp-lanes-XXXXXX", out[300], q[300], st[300];
	char *argv[] = {"lp-test", NULL};
	char *files[1];
	struct ctx c[4] = {{0}, {0}, {0}, {0}};
	void *ctx[4] = {&c[0], &c[1], &c[2], &c[3]};
	struct lp_run run;
	struct lp_lanes *l;

	files[0] = (char *)path;
	assert_true(mkdtemp(dir) != NULL);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(q, sizeof(q), "%s/q", dir);
	snprintf(st, sizeof(st), "%s/st", dir);
	lp_cli_init(1, argv, &tool);
	lp_verbosity = -1;
	lp_opts.output = out;
	lp_opts.plain = 1;
	lp_opts.stats = st;
	lp_opts.on_error = policy;
	if (policy == LP_ON_ERROR_QUARANTINE)
		lp_opts.quarantine = q;
	lp_buf_reset(&sides);
	total = dropped_counts = 0;
	lp_run_open(&run, 1, files, "");
	if (n == 0) {
		run_loop(&run, &c[0]);
	} else {
		l = lp_lanes_new(&run, n, stage, ctx, side, tally, NULL);
		assert_eq_int(lp_lanes_count(l), n);
		lp_lanes_run(l);
		lp_lanes_free(l);
	}
	r->status = lp_run_close(&run, LP_EXIT_OK);
	r->out = slurp(out);
	r->q = slurp(q);
	r->stats = slurp(st);
	r->side = lp_xstrdup(sides.p != NULL ? sides.p : "");
	r->total = total;
	r->dropped = dropped_counts;
	unlink(out);
	unlink(q);
	unlink(st);
	rmdir(dir);
}

static void
result_free(struct result *r)
{
	free(r->out);
	free(r->q);
	free(r->side);
	free(r->stats);
}

/* The run's stats less what differs from run to run (timings, ids). */
static void
assert_same_counts(const char *a, const char *b)
{
	const char *ea = strstr(a, ",\"tool\""), *eb = strstr(b, ",\"tool\"");

	assert_true(ea != NULL && eb != NULL);
	assert_eq_mem(a, (size_t)(ea - a), b, (size_t)(eb - b));
}

/*
 * The input through the one-lane loop and through n lanes, the lineage's
 * time fixed.
 */
static void
one_and_many(int n, int policy, struct result *one, struct result *many)
{
	size_t len;
	char *in = input(&len), *path = tmpfile_with(in, len);

	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	run_lanes(path, 0, policy, one);
	run_lanes(path, n, policy, many);
	unsetenv("SOURCE_DATE_EPOCH");
	unlink(path);
	free(path);
	free(in);
}

TEST(lanes_write_what_the_loop_writes)
{
	struct result one, three;

	one_and_many(3, LP_ON_ERROR_QUARANTINE, &one, &three);
	assert_eq_int(one.status, LP_EXIT_OK);
	assert_eq_int(three.status, LP_EXIT_OK);
	assert_true(one.out != NULL && three.out != NULL);
	assert_eq_str(three.out, one.out);
	assert_eq_str(three.q, one.q);
	assert_eq_str(three.side, one.side);
	assert_same_counts(three.stats, one.stats);
	/* 30 bad lines, 33 refused (none both), the rest kept in order. */
	assert_true(strstr(three.stats,
			"{\"in\":3000,\"out\":2937,\"dropped\":0,"
			"\"skipped\":0,\"quarantined\":63,") == three.stats);
	assert_eq_int((int)three.total, 2937);
	assert_true(strstr(three.out,
			"{\"id\":\"1\",\"title\":\"t\","
			"\"seen\":true,\"lineage\"") == three.out);
	assert_true(strstr(three.side, "1\n2\n3\n") == three.side);
	assert_true(strstr(three.side, "r89") == NULL);
	assert_true(strstr(three.q,
			"\"line\":89,\"reason\":\"refused "
			"r89\"") != NULL);
	result_free(&one);
	result_free(&three);
}

TEST(fail_stops_where_the_loop_stops)
{
	struct result one, four;

	one_and_many(4, LP_ON_ERROR_FAIL, &one, &four);
	assert_eq_int(one.status, LP_EXIT_DATAERR);
	assert_eq_int(four.status, LP_EXIT_DATAERR);
	assert_same_counts(four.stats, one.stats);
	/* Line 89 is the first refused: 88 kept, then the stop. */
	assert_true(
	    strstr(four.stats,
		"{\"in\":89,\"out\":88,\"dropped\":0,"
		"\"skipped\":0,\"quarantined\":0,\"failed\":1,") == four.stats);
	assert_eq_int((int)four.total, 88);
	assert_eq_int((int)one.total, 88);
	/* The other lanes' records past the stop were not counted. */
	assert_true(four.dropped > 0);
	assert_eq_str(four.side, one.side);
	result_free(&one);
	result_free(&four);
}

TEST(default_is_the_processors)
{
	cpu_set_t set, one;
	int n = lp_lanes_default(), cpus;

	assert_eq_int(sched_getaffinity(0, sizeof(set), &set), 0);
	cpus = CPU_COUNT(&set);
	assert_eq_int(n, cpus > 4 ? 4 : cpus);
	/* Held to one processor (taskset 1), one lane. */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &one);
	if (sched_setaffinity(0, sizeof(one), &one) == 0) {
		assert_eq_int(lp_lanes_default(), 1);
		assert_eq_int(sched_setaffinity(0, sizeof(set), &set), 0);
	}
}

RUN_TESTS()
