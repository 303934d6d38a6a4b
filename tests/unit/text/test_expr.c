#include "core/status.h"
#include "text/expr.h"
#include "core/record.h"
#include "test.h"

static const char *rec_text =
    "{\"id\":\"a\",\"rating\":{\"score\":2,\"confidence\":0.55,"
    "\"disagreement\":false,\"method\":\"logprobs\"},\"title\":\"x\","
    "\"empty\":\"\",\"nothing\":null,\"tags\":[1]}";

static int
eval(const char *src)
{
	struct lp_record rec;
	struct lp_expr *e;
	struct lp_error err;
	int col = 0, r;

	lp_record_init(&rec);
	lp_record_parse(&rec, rec_text, strlen(rec_text));
	e = lp_expr_compile(src, &col, &err);
	if (e == NULL) {
		fprintf(stderr, "compile '%s': %d: %s\n", src, col, err.msg);
		lp_record_release(&rec);
		return -1;
	}
	r = lp_expr_eval(e, &rec);
	lp_expr_free(e);
	lp_record_release(&rec);
	return r;
}

TEST(comparisons_and_logic)
{
	assert_eq_int(eval("rating.score <= 2"), 1);
	assert_eq_int(eval("rating.score < 2"), 0);
	assert_eq_int(eval("rating.score == 2 && rating.confidence < 0.6"), 1);
	assert_eq_int(eval("rating.score >= 3 || rating.confidence < 0.5"), 0);
	assert_eq_int(eval("rating.score <= 2 || rating.confidence < 0.6 || "
			   "rating.disagreement"),
	    1);
	assert_eq_int(eval("!(rating.score > 1)"), 0);
	assert_eq_int(eval("!rating.disagreement"), 1);
	assert_eq_int(eval("rating.method == 'logprobs'"), 1);
	assert_eq_int(eval("rating.method != \"self-report\""), 1);
	assert_eq_int(eval("title < 'y' && title > ''"), 1);
	/* && binds tighter than ||. */
	assert_eq_int(eval("true || false && false"), 1);
	assert_eq_int(eval("(true || false) && false"), 0);
	assert_eq_int(eval("rating.disagreement == false"), 1);
	assert_eq_int(eval("nothing == null"), 1);
}

TEST(presence_and_missing)
{
	assert_eq_int(eval("title"), 1);
	assert_eq_int(eval("empty"), 0);
	assert_eq_int(eval("nothing"), 0);
	assert_eq_int(eval("tags"), 1);
	assert_eq_int(eval("has(empty)"), 1);
	assert_eq_int(eval("has(nothing)"), 0);
	assert_eq_int(eval("has(missing.field)"), 0);
	/* Any comparison with a missing field is false, != too. */
	assert_eq_int(eval("missing < 3"), 0);
	assert_eq_int(eval("missing != 3"), 0);
	assert_eq_int(eval("!(missing == 3)"), 1);
	/* Different types do not compare. */
	assert_eq_int(eval("title == 1"), 0);
	assert_eq_int(eval("rating.score == '2'"), 0);
}

static void
bad(const char *src, int want_col, const char *want)
{
	struct lp_error err;
	int col = 0;
	struct lp_expr *e = lp_expr_compile(src, &col, &err);

	assert_true(e == NULL);
	if (e == NULL) {
		if (col != want_col || strcmp(err.msg, want) != 0)
			fprintf(stderr, "'%s': %d: %s\n", src, col, err.msg);
		assert_eq_int(col, want_col);
		assert_true(strcmp(err.msg, want) == 0);
	}
	lp_expr_free(e);
}

TEST(malformed_name_the_column)
{
	bad("", 1, "expected a value at the end");
	bad("rating.score <=", 16, "expected a value at the end");
	bad("rating.score = 2", 14, "unexpected '=' (compare with ==)");
	bad("(a || b", 8, "expected ')' to close the '(' at column 1");
	bad("a || b)", 7, "unexpected ')'");
	bad("a & b", 3, "unexpected '&' (and is &&, or is ||)");
	bad("a b", 3, "expected && or || or the end, not 'b'");
	bad("x == 'abc", 6, "unterminated string");
	bad("rating. == 1", 1, "malformed field name 'rating.'");
	bad("has(3)", 6, "has() takes a field name");
	bad("a == #", 6, "expected a value, not '#'");
	bad("a && && b", 6, "expected a value, not '&'");
}

RUN_TESTS()
