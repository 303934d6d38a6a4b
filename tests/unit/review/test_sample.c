#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/json.h"
#include "core/status.h"
#include "review/sample.h"
#include "test.h"

#define N 100

static struct lp_record recs[N];
static char lines[N][64];

/* Record i: {"id":"rI","score":I%4+1,"q":I%10==0}. */
static void
make_records(void)
{
	int i;

	for (i = 0; i < N; i++) {
		snprintf(lines[i], sizeof(lines[i]),
		    "{\"id\":\"r%d\",\"score\":%d,\"q\":%s}", i, i % 4 + 1,
		    i % 10 == 0 ? "true" : "false");
		lp_record_init(&recs[i]);
		lp_record_parse(&recs[i], lines[i], strlen(lines[i]));
		recs[i].file = "in.jsonl";
		recs[i].line = (unsigned long)i + 1;
	}
}

/* Feed every record to a deferred sample; the dropped ids, in order. */
static void
feed(struct lp_sample *s, struct lp_buf *dropped)
{
	struct lp_record r;
	int i, j, kept;

	lp_record_init(&r);
	for (i = 0; i < N; i++) {
		unsigned why = lp_sample_reasons(s, &recs[i]);
		size_t st = (size_t)(i % 4);

		if (s->per_stratum > 0 && st >= s->nstrata)
			assert_eq_int(lp_sample_stratum_new(s, &st), LP_OK);
		assert_eq_int(
		    lp_sample_take(s, &recs[i], why, st, &kept), LP_OK);
		for (j = 0; j < s->ndropped; j++) {
			lp_sample_slot_record(&s->dropped[j], &r);
			lp_buf_addf(
			    dropped, "%s ", lp_record_get_str(&r, "id"));
		}
		if (!kept)
			lp_buf_addf(
			    dropped, "%s ", lp_record_get_str(&recs[i], "id"));
	}
	lp_record_release(&r);
}

/* The ids of the sample, in order, "g" for gold, after collect and cap. */
static void
drain(struct lp_sample *s, struct lp_buf *out)
{
	struct lp_record r;
	unsigned why;

	lp_record_init(&r);
	while (lp_sample_next(s, &r, &why)) {
		const char *id = lp_record_get_str(&r, "id");

		lp_buf_addf(out, "%s%s ", why == LP_SAMPLE_GOLD ? "g" : "", id);
	}
	lp_record_release(&r);
}

TEST(random_share_streams)
{
	struct lp_sample s;
	struct lp_buf ids = LP_BUF_INIT;
	int i;

	make_records();
	lp_sample_init(&s);
	s.random_share = 0.1;
	s.seed = 3;
	assert_eq_int(lp_sample_start(&s), LP_OK);
	assert_true(!s.deferred);
	for (i = 0; i < N; i++)
		if (lp_sample_reasons(&s, &recs[i]) == LP_SAMPLE_RANDOM)
			lp_buf_addf(&ids, "%d ", i);
	/* lp-sample --random 10% --seed 3 picks these. */
	assert_eq_str(ids.p, "3 10 15 17 26 31 35 63 65 81 85 91 92 ");
	assert_eq_int(s.n_random, 13);
	lp_sample_release(&s);
	lp_buf_release(&ids);
}

TEST(reservoir_picks_exactly_n)
{
	struct lp_sample s;
	struct lp_buf dropped = LP_BUF_INIT, out = LP_BUF_INIT;

	lp_sample_init(&s);
	s.random_n = 5;
	s.seed = 1;
	assert_eq_int(lp_sample_start(&s), LP_OK);
	assert_true(s.deferred);
	feed(&s, &dropped);
	lp_sample_collect(&s);
	assert_eq_int((long long)lp_sample_cap(&s), 0);
	drain(&s, &out);
	/* lp-sample --random 5 --seed 1: 5 records, in input order. */
	assert_eq_str(out.p, "r20 r31 r57 r82 r96 ");
	/* The other 95, each dropped once: r0..r9 and 85 of r10..r99. */
	assert_eq_int((long long)strlen(dropped.p), 10 * 3 + 85 * 4);
	assert_eq_int(s.n_random, 5);
	lp_sample_release(&s);
	lp_buf_release(&dropped);
	lp_buf_release(&out);
}

TEST(strata_and_questionable)
{
	struct lp_sample s;
	struct lp_buf dropped = LP_BUF_INIT, out = LP_BUF_INIT;
	struct lp_error err;
	int col;
	struct lp_expr *q = lp_expr_compile("q", &col, &err);

	lp_sample_init(&s);
	s.questionable = q;
	s.per_stratum = 2;
	s.seed = 5;
	assert_eq_int(lp_sample_start(&s), LP_OK);
	feed(&s, &dropped);
	lp_sample_collect(&s);
	drain(&s, &out);
	/* --stratify score --per-stratum 2 --questionable q --seed 5 */
	assert_eq_str(out.p,
	    "r0 r2 r7 r10 r20 r28 r30 r40 r50 r53 r55 r60 "
	    "r65 r70 r76 r80 r90 r94 ");
	assert_eq_int((long long)s.nstrata, 4);
	assert_eq_int(s.n_stratum, 8);
	assert_eq_int(s.n_questionable, 10);
	lp_expr_free(q);
	lp_sample_release(&s);
	lp_buf_release(&dropped);
	lp_buf_release(&out);
}

TEST(cap_and_gold)
{
	static const char gold[] = "{\"id\":\"x0\",\"gold\":{\"score\":1}}\n"
				   "{\"id\":\"x1\",\"gold\":{\"score\":2}}\n"
				   "{\"id\":\"x2\",\"gold\":{\"score\":3}}\n"
				   "{\"id\":\"x3\",\"gold\":{\"score\":4}}\n";
	char *path = tmpfile_with(gold, sizeof(gold) - 1);
	struct lp_sample s;
	struct lp_buf dropped = LP_BUF_INIT, out = LP_BUF_INIT;

	lp_sample_init(&s);
	s.random_n = 20;
	s.max = 12;
	s.gold_rate = 0.2;
	s.seed = 20261125;
	assert_eq_int(lp_sample_start(&s), LP_OK);
	feed(&s, &dropped);
	lp_sample_collect(&s);
	assert_eq_int((long long)lp_sample_cap(&s), 8);
	assert_eq_int(s.n_cut, 8);
	assert_eq_int(lp_sample_gold_load(&s, path), LP_OK);
	/* 12 * 0.2 / 0.8 = 3 of the 4 gold items: 3 / 15 is 20%. */
	assert_eq_int((long long)lp_sample_gold_choose(&s), 3);
	assert_eq_int(s.n_gold, 3);
	drain(&s, &out);
	/* --random 20 --max 12 --gold-rate 20% --seed 20261125 */
	assert_eq_str(out.p,
	    "r11 gx3 r15 gx1 r22 r33 r42 r43 r49 r52 r55 "
	    "r63 r69 gx0 r97 ");
	unlink(path);
	free(path);
	lp_sample_release(&s);
	lp_buf_release(&dropped);
	lp_buf_release(&out);
}

TEST(gold_needs_its_answer)
{
	static const char gold[] =
	    "{\"id\":\"x0\",\"gold\":1}\n{\"id\":\"x1\"}\n";
	char *path = tmpfile_with(gold, sizeof(gold) - 1);
	struct lp_sample s;

	lp_sample_init(&s);
	assert_eq_int(lp_sample_gold_load(&s, path), LP_FAILED);
	assert_true(strstr(s.err.msg,
			":2: a gold item needs its answer in "
			"\"gold\"") != NULL);
	assert_eq_int(lp_sample_gold_load(&s, "/nonexistent/gold"), LP_FATAL);
	unlink(path);
	free(path);
	lp_sample_release(&s);
}

TEST(sample_object)
{
	static char *names[] = {"alice", "bob", "carol"};
	static const int who[] = {0, 2};
	struct lp_sample s;
	struct lp_buf b = LP_BUF_INIT;
	json_t *o;

	lp_sample_init(&s);
	s.seed = 9;
	s.round = 2;
	o = lp_sample_object(
	    &s, LP_SAMPLE_QUESTIONABLE | LP_SAMPLE_STRATUM, names, who, 2);
	lp_json_dump(o, &b);
	assert_eq_str(b.p,
	    "{\"reason\":[\"questionable\",\"stratum\"],"
	    "\"seed\":9,\"round\":2,\"assignees\":[\"alice\","
	    "\"carol\"]}");
	json_decref(o);
	/* Gold reads as a spot check; no round, no routing. */
	s.round = 0;
	o = lp_sample_object(&s, LP_SAMPLE_GOLD, NULL, NULL, 0);
	lp_buf_reset(&b);
	lp_json_dump(o, &b);
	assert_eq_str(b.p, "{\"reason\":[\"random\"],\"seed\":9}");
	json_decref(o);
	lp_buf_release(&b);
	lp_sample_release(&s);
}

RUN_TESTS()
