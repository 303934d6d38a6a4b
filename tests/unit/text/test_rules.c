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

/* The display form of s, and the brand it names, as lp-clean makes them. */
static const char *
cased(const char *s, const char **brand)
{
	static struct lp_buf out;

	lp_buf_reset(&out);
	*brand = lp_rules_case(
	    &r, s, strlen(s), lp_rules_shouting(&r, s, strlen(s)), &out);
	return out.p != NULL ? out.p : "";
}

TEST(conditions_of_ebay)
{
	static const char *const cases[][2] = {{"Brand New", "new"},
	    {"New with tags", "new"}, {"NEW", "new"},
	    {"New other (see details)", "new-other"},
	    {"New (Other)", "new-other"}, {"New without box", "new-other"},
	    {"New with defects", "new-other"}, {"Open box", "new-other"},
	    {"Opened \xe2\x80\x93 never used", "opened-never-used"},
	    {"Opened - never used", "opened-never-used"},
	    {"opened never used", "opened-never-used"},
	    {"Like New", "opened-never-used"},
	    {"Certified - Refurbished", "refurbished"},
	    {"Excellent \xe2\x80\x94 Refurbished", "refurbished"},
	    {"Very Good - Refurbished", "refurbished"},
	    {"Good - Refurbished", "refurbished"},
	    {"Seller refurbished", "refurbished"}, {"Pre-owned", "used"},
	    {"pre owned", "used"}, {"Pre-owned - Excellent", "used"},
	    {"Pre-owned - Fair", "used"}, {"Used", "used"},
	    {"Very good", "used"}, {"Acceptable", "used"},
	    {"For parts or not working", "for-parts"},
	    {"Spares or repair", "for-parts"},
	    /* A value maps to itself. */
	    {"new-other", "new-other"}, {"for-parts", "for-parts"}};
	size_t i;

	lp_rules_default(&r);
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *v =
		    lp_rules_condition(&r, cases[i][0], strlen(cases[i][0]));

		assert_eq_str(v != NULL ? v : "(unknown)", cases[i][1]);
	}
	assert_true(lp_rules_condition(&r, "Like new-ish", 12) == NULL);
	assert_true(lp_rules_condition(&r, "", 0) == NULL);
	lp_rules_release(&r);
}

TEST(names_in_their_case)
{
	const char *brand;

	lp_rules_default(&r);
	assert_eq_str(
	    cased("apple iphone 13 pro", &brand), "Apple iPhone 13 pro");
	assert_eq_str(brand, "Apple");
	/* Shouting calmed; names, codes and unit symbols kept. */
	assert_eq_str(
	    cased("SAMSUNG GALAXY S21 SM-G991B 128 GB PHANTOM GREY", &brand),
	    "Samsung Galaxy S21 SM-G991B 128 GB Phantom Grey");
	assert_eq_str(brand, "Samsung");
	assert_eq_str(cased("PLAYSTATION 4 PRO CONSOLE CUH-7216B", &brand),
	    "PlayStation 4 Pro Console CUH-7216B");
	assert_true(brand == NULL);
	assert_eq_str(cased("TEAM ROCKET'S POK\xc3\x89MON CARD", &brand),
	    "Team Rocket's Pok\xc3\xa9mon Card");
	/* Not shouting: capitals are the seller's (acronyms, emphasis). */
	assert_eq_str(cased("Hot Toys ROTJ Boba Fett NEW", &brand),
	    "Hot Toys ROTJ Boba Fett NEW");
	assert_eq_str(brand, "Hot Toys");
	/* Codes in small letters in capitals; counts, sizes and i7 not. */
	assert_eq_str(cased("sony wh-1000xm4 12ct 1080p i7 2x8 48Gbps", &brand),
	    "Sony WH-1000XM4 12ct 1080p i7 2x8 48Gbps");
	/* A name is a whole word: "Applebee" is none. */
	assert_eq_str(cased("applebee lego", &brand), "applebee LEGO");
	assert_eq_str(brand, "LEGO");
	lp_rules_release(&r);
}

TEST(names_loaded)
{
	struct lp_error err;
	const char *brand;
	static const char more[] = "brand Corgi\nname FatMax\n";

	lp_rules_default(&r);
	assert_eq_int(
	    lp_rules_load(&r, more, strlen(more), "mine.txt", &err), LP_OK);
	assert_eq_str(cased("corgi fatmax", &brand), "Corgi FatMax");
	assert_eq_str(brand, "Corgi");
	assert_eq_int(
	    lp_rules_load(&r, "brand -x\n", 9, "bad.txt", &err), LP_FAILED);
	assert_eq_str(
	    err.msg, "bad.txt:1: a name starts with a letter or digit");
	assert_eq_int(
	    lp_rules_load(&r, "name\n", 5, "bad.txt", &err), LP_FAILED);
	assert_eq_str(err.msg, "bad.txt:1: 'name' needs a value");
	lp_rules_release(&r);
}

RUN_TESTS()
