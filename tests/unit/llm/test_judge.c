/*
 * The judge's score distribution from logprobs, against hand-computed
 * fixtures.
 */
#include <math.h>

#include "core/status.h"
#include "llm/judge.h"
#include "test.h"

#define near(a, b) (fabs((a) - (b)) < 1e-6)

TEST(value_at)
{
	assert_eq_int(lp_judge_value_at("{\"score\":3}", "score"), 9);
	assert_eq_int(lp_judge_value_at("{ \"score\" : 3 }", "score"), 12);
	/* Only a top-level key: not a value, not in a string, not nested. */
	assert_eq_int(
	    lp_judge_value_at("{\"r\":\"score\",\"score\":2}", "score"), 21);
	assert_eq_int(
	    lp_judge_value_at(
		"{\"r\":\"the \\\"score\\\": 4\",\"score\":2}", "score"),
	    32);
	assert_eq_int(
	    lp_judge_value_at("{\"a\":{\"score\":1},\"score\":4}", "score"),
	    25);
	assert_eq_int(lp_judge_value_at("{\"a\":{\"score\":1}}", "score"), -1);
	assert_eq_int(lp_judge_value_at("{\"score", "score"), -1);
	assert_eq_int(lp_judge_value_at("", "score"), -1);
}

/* {"score":3,...}: tokens {" score ": 3 ,"... */
static json_t *
logprobs(const char *alts)
{
	char buf[2048];

	snprintf(buf, sizeof(buf),
	    "{\"content\":[{\"token\":\"{\\\"\",\"logprob\":0},"
	    "{\"token\":\"score\",\"logprob\":0},"
	    "{\"token\":\"\\\":\",\"logprob\":0},"
	    "{\"token\":\"3\",\"logprob\":-0.5108256,\"top_logprobs\":%s},"
	    "{\"token\":\",\\\"\",\"logprob\":0}]}",
	    alts);
	return json_loads(buf, 0, NULL);
}

TEST(distribution)
{
	/*
	 * 3: 0.6 + 0.03 (" 3"), 4: 0.25, 2: 0.1, "x": 0.02 dropped.  Mass
	 * 0.98; p = (0, .1/.98, .63/.98, .25/.98); expected 3.153061.
	 */
	json_t *lp = logprobs("[{\"token\":\"3\",\"logprob\":-0.5108256},"
			      "{\"token\":\"4\",\"logprob\":-1.3862944},"
			      "{\"token\":\"2\",\"logprob\":-2.3025851},"
			      "{\"token\":\" 3\",\"logprob\":-3.5065579},"
			      "{\"token\":\"x\",\"logprob\":-3.9120230}]");
	struct lp_judge_dist d;
	struct lp_error why;

	assert_eq_int(lp_judge_dist("{\"score\":3,\"confidence\":0.9}", lp,
			  "score", 4, &d, &why),
	    LP_OK);
	assert_true(near(d.mass, 0.98));
	assert_true(near(d.p[1], 0));
	assert_true(near(d.p[2], 0.102041));
	assert_true(near(d.p[3], 0.642857));
	assert_true(near(d.p[4], 0.255102));
	assert_eq_int(d.score, 3);
	assert_true(near(d.confidence, 0.642857));
	assert_true(near(d.expected, 3.153061));
	json_decref(lp);

	/* A digit beyond the scale, or of two digits, is not a score. */
	lp = logprobs("[{\"token\":\"3\",\"logprob\":-0.6931472},"
		      "{\"token\":\"5\",\"logprob\":-1.2039728},"
		      "{\"token\":\"34\",\"logprob\":-2.3025851},"
		      "{\"token\":\"1\",\"logprob\":-0.6931472}]");
	assert_eq_int(
	    lp_judge_dist("{\"score\":3}", lp, "score", 4, &d, &why), LP_OK);
	/* 3 and 1 tie at 0.5: the lower wins; expected 2. */
	assert_eq_int(d.score, 1);
	assert_true(near(d.p[1], 0.5) && near(d.p[3], 0.5));
	assert_true(near(d.expected, 2));
	json_decref(lp);

	/* No alternatives: the chosen token alone. */
	lp = logprobs("[]");
	assert_eq_int(
	    lp_judge_dist("{\"score\":3}", lp, "score", 4, &d, &why), LP_OK);
	assert_true(near(d.p[3], 1) && near(d.mass, 0.6));
	json_decref(lp);

	/* No digit anywhere. */
	lp = logprobs("[{\"token\":\"three\",\"logprob\":-0.1}]");
	assert_eq_int(lp_judge_dist("{\"score\":3}", lp, "score", 4, &d, &why),
	    LP_FAILED);
	assert_eq_str(why.msg, "no score digit among the logprobs");
	json_decref(lp);
}

TEST(bytes_and_misses)
{
	/*
	 * {"r":"好","score":4}: 好 comes as two tokens of partial UTF-8,
	 * shown escaped; their "bytes" give the true lengths (2 and 1).
	 */
	json_t *lp = json_loads(
	    "{\"content\":[{\"token\":\"{\\\"r\\\":\\\"\",\"logprob\":0},"
	    "{\"token\":\"bytes:\\\\xe5\\\\xa5\",\"bytes\":[229,165],"
	    "\"logprob\":0},"
	    "{\"token\":\"bytes:\\\\xbd\",\"bytes\":[189],\"logprob\":0},"
	    "{\"token\":\"\\\",\\\"score\\\":\",\"logprob\":0},"
	    "{\"token\":\"4\",\"logprob\":-0.1053605,\"top_logprobs\":["
	    "{\"token\":\"4\",\"logprob\":-0.1053605},"
	    "{\"token\":\"3\",\"logprob\":-2.3025851}]}]}",
	    0, NULL);
	struct lp_judge_dist d;
	struct lp_error why;

	assert_true(lp != NULL);
	assert_eq_int(lp_judge_dist("{\"r\":\"好\",\"score\":4}", lp, "score",
			  4, &d, &why),
	    LP_OK);
	/* 0.9 and 0.1: mass 1. */
	assert_eq_int(d.score, 4);
	assert_true(near(d.confidence, 0.9) && near(d.p[3], 0.1));
	assert_true(near(d.expected, 3.9));
	/* Trimmed to the score: the merged head and the score token, the
	 * same distribution. */
	{
		json_t *c = json_deep_copy(lp);
		struct lp_judge_dist e;

		lp_judge_trim(c, "{\"r\":\"好\",\"score\":4}", "score");
		assert_eq_int(
		    json_array_size(json_object_get(c, "content")), 2);
		assert_eq_str(
		    json_string_value(json_object_get(
			json_array_get(json_object_get(c, "content"), 0),
			"token")),
		    "{\"r\":\"好\",\"score\":");
		assert_eq_int(lp_judge_dist("{\"r\":\"好\",\"score\":4}", c,
				  "score", 4, &e, &why),
		    LP_OK);
		assert_true(near(e.p[4], d.p[4]) && near(e.p[3], d.p[3]));
		/* Not found: left whole. */
		lp_judge_trim(c, "{\"r\":1}", "score");
		assert_eq_int(
		    json_array_size(json_object_get(c, "content")), 2);
		json_decref(c);
	}
	/* The score beyond the tokens given. */
	assert_eq_int(lp_judge_dist("{\"r\":\"好好好好好\",\"score\":4}", lp,
			  "score", 4, &d, &why),
	    LP_FAILED);
	assert_eq_str(why.msg, "the logprobs do not reach the score");
	assert_eq_int(
	    lp_judge_dist("{\"r\":1}", lp, "score", 4, &d, &why), LP_FAILED);
	assert_eq_str(why.msg, "the reply has no score");
	json_decref(lp);
}

RUN_TESTS()
