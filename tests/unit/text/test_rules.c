#include "core/status.h"
#include "text/rules.h"
#include "test.h"

static struct lp_rules r;

/* The rules applied, spaces squeezed and trimmed as lp-clean does next. */
static const char *
apply(const char *s)
{
	static struct lp_buf out;
	static char sq[256];
	size_t i, j = 0;

	lp_buf_reset(&out);
	lp_rules_apply(&r, s, strlen(s), &out);
	for (i = 0; i < out.len && j + 1 < sizeof(sq); i++)
		if (out.p[i] != ' ' || (j > 0 && sq[j - 1] != ' '))
			sq[j++] = out.p[i];
	if (j > 0 && sq[j - 1] == ' ')
		j--;
	sq[j] = '\0';
	return sq;
}

TEST(shipped_rules)
{
	lp_rules_default(&r);
	assert_eq_str(r.version, "clean-rules-2");
	assert_eq_str(apply("L@@K Apple iPhone WOW!!!"), "Apple iPhone");
	assert_eq_str(apply("*** BARGAIN *** Sony"), "Sony");
	assert_eq_str(apply("free p&p uk seller"), "");
	assert_eq_str(apply("BNIB Nike"), "brand new in box Nike");
	/* Word boundaries: inside a word nothing matches. */
	assert_eq_str(apply("WOWEE Bowwow Knr"), "WOWEE Bowwow Knr");
	assert_eq_str(apply("100% GENUINE"), "");
	/* A mark in a word stays; runs of two or more go, and one alone. */
	assert_eq_str(apply("Pokemon Go! ~~ Rare ~"), "Pokemon Go! Rare");
	assert_eq_str(apply("Rare!! NO RESERVE!"), "Rare");
	assert_true(r.run_hits >= 1);
	assert_eq_str(lp_rules_condition(&r, "pre-owned", 9), "used");
	assert_eq_str(lp_rules_condition(&r, "Opened \xe2\x80\x93 never used",
			  strlen("Opened \xe2\x80\x93 never used")),
	    "opened-never-used");
	assert_eq_str(lp_rules_condition(&r, "used", 4), "used");
	assert_true(lp_rules_condition(&r, "like new-ish", 12) == NULL);
}

TEST(more_rules_and_bad_files)
{
	struct lp_error err;
	static const char more[] = "# mine\nversion mine-2\nremove GEM\n"
				   "expand XL extra large\n";

	assert_eq_int(
	    lp_rules_load(&r, more, strlen(more), "mine.txt", &err), LP_OK);
	assert_eq_str(r.version, "mine-2");
	assert_eq_str(apply("gem XL shirt"), "extra large shirt");
	assert_eq_int(
	    lp_rules_load(&r, "remove\n", 7, "bad.txt", &err), LP_FAILED);
	assert_eq_str(err.msg, "bad.txt:1: 'remove' needs a value");
	assert_eq_int(
	    lp_rules_load(&r, "\nfrobnicate x\n", 14, "bad.txt", &err),
	    LP_FAILED);
	assert_eq_str(err.msg, "bad.txt:2: unknown rule 'frobnicate'");
	assert_eq_int(
	    lp_rules_load(&r, "expand ABC\n", 11, "bad.txt", &err), LP_FAILED);
	assert_eq_str(err.msg, "bad.txt:1: expand needs a meaning");
	lp_rules_release(&r);
}

RUN_TESTS()
