#include <math.h>

#include "core/status.h"
#include "core/hash.h"
#include "dedup/shingle.h"
#include "test.h"

static struct lp_u64s a, b;

static void
shingle(const char *spec, const char *s, struct lp_u64s *out)
{
	struct lp_shingling sh;

	assert_eq_int(lp_shingling_parse(&sh, spec, NULL), LP_OK);
	lp_shingles(&sh, s, strlen(s), out);
}

TEST(parse)
{
	struct lp_shingling sh;
	struct lp_error err = LP_ERROR_INIT;

	assert_eq_int(lp_shingling_parse(&sh, "words:3", NULL), LP_OK);
	assert_true(sh.words && sh.k == 3);
	assert_eq_int(lp_shingling_parse(&sh, "chars:5", NULL), LP_OK);
	assert_true(!sh.words && sh.k == 5);
	assert_eq_int(lp_shingling_parse(&sh, "words", &err), LP_FAILED);
	assert_eq_int(lp_shingling_parse(&sh, "bytes:3", &err), LP_FAILED);
	assert_eq_int(lp_shingling_parse(&sh, "words:0", &err), LP_FAILED);
	assert_eq_int(lp_shingling_parse(&sh, "words:3x", &err), LP_FAILED);
	assert_eq_str(err.msg, "want words:K or chars:K");
}

TEST(word_and_char_shingles)
{
	uint64_t abc = lp_hash64("a b c", 5, 0), bcd = lp_hash64("b c d", 5, 0);

	shingle("words:3", "a b c d", &a);
	assert_eq_int(a.n, 2);
	assert_true((a.v[0] == abc && a.v[1] == bcd) ||
	    (a.v[0] == bcd && a.v[1] == abc));
	shingle("words:3", "a b", &a);
	assert_eq_int(a.n, 1);
	shingle("words:2", "x y x y x y", &a); /* repeats count once */
	assert_eq_int(a.n, 2);
	/* Code points, not bytes: 4 CJK characters give 2 shingles of 3. */
	shingle(
	    "chars:3", "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe5\x85\xb8", &a);
	assert_eq_int(a.n, 2);
	shingle("chars:3", "", &a);
	assert_eq_int(a.n, 0);
}

TEST(jaccard_exact)
{
	uint64_t x[] = {1, 2, 3, 4}, y[] = {3, 4, 5, 6, 7, 8};

	assert_true(fabs(lp_jaccard(x, 4, y, 6) - 2.0 / 8.0) < 1e-12);
	assert_true(lp_jaccard(x, 4, x, 4) == 1.0);
	assert_true(lp_jaccard(x, 0, y, 0) == 1.0);
	assert_true(lp_jaccard(x, 4, y, 0) == 0.0);
	shingle("words:3", "apple iphone 13 128 gb black", &a);
	shingle("words:3", "apple iphone 13 128 gb blue", &b);
	/* 4 shingles each, 3 shared: 3 / 5 */
	assert_true(fabs(lp_jaccard(a.v, a.n, b.v, b.n) - 0.6) < 1e-12);
}

TEST(raw_keeps_repeats)
{
	struct lp_shingling sh = {1, 2};

	lp_shingles_raw(&sh, "x y x y x y", 11, &a);
	assert_eq_int(a.n, 5);
	lp_u64s_sort_unique(&a);
	assert_eq_int(a.n, 2);
}

TEST(release)
{
	lp_u64s_release(&a);
	lp_u64s_release(&b);
	assert_true(a.v == NULL);
}

RUN_TESTS()
