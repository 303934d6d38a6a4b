/* Glossary files and the terms a translation missed. */
#include "core/json.h"
#include "core/status.h"
#include "llm/glossary.h"
#include "test.h"

TEST(load)
{
	static const char text[] = "# terms\n\n  iPhone\r\nGalaxy\tGalaxy "
				   "\xe6\x89\x8b\xe6\x9c\xba\nPro Max";
	struct lp_glossary g = {NULL, 0};
	struct lp_error err;

	assert_eq_int(
	    lp_glossary_load(&g, text, sizeof(text) - 1, "g.txt", &err), LP_OK);
	assert_eq_int(g.n, 3);
	assert_eq_str(g.v[0].from, "iPhone");
	assert_true(g.v[0].to == NULL);
	assert_eq_str(g.v[1].from, "Galaxy");
	assert_eq_str(g.v[1].to, "Galaxy \xe6\x89\x8b\xe6\x9c\xba");
	assert_eq_str(g.v[2].from, "Pro Max");
	lp_glossary_release(&g);
}

TEST(bad_files)
{
	struct lp_glossary g = {NULL, 0};
	struct lp_error err;

	assert_eq_int(
	    lp_glossary_load(&g, "ok\nb\xffx\n", 7, "g.txt", &err), LP_FAILED);
	assert_eq_str(err.msg, "g.txt:2: invalid UTF-8");
	/* The terms before the bad line stay. */
	assert_eq_int(g.n, 1);
	assert_eq_int(
	    lp_glossary_load(&g, "a\t\n", 3, "g.txt", &err), LP_FAILED);
	assert_eq_str(err.msg, "g.txt:1: want TERM or TERM<tab>TRANSLATION");
	assert_eq_int(
	    lp_glossary_load(&g, "a\tb\tc", 5, "g.txt", &err), LP_FAILED);
	assert_eq_str(err.msg, "g.txt:1: want TERM or TERM<tab>TRANSLATION");
	lp_glossary_release(&g);
	assert_eq_int(g.n, 0);
}

TEST(missed)
{
	static const char text[] = "iPhone\nGalaxy\tGALAXY\nPixel\n";
	struct lp_glossary g = {NULL, 0};
	struct lp_error err;
	struct lp_buf b = LP_BUF_INIT;
	json_t *m;

	assert_eq_int(
	    lp_glossary_load(&g, text, sizeof(text) - 1, "g", &err), LP_OK);
	assert_true(lp_glossary_has("apple IPHONE 12", "iPhone"));
	assert_true(!lp_glossary_has("apple 12", "iPhone"));
	/* In the source, not in the translation: iPhone kept, GALAXY. */
	m = lp_glossary_missed(&g, "iphone and galaxy", "iphone and galaxy");
	lp_json_dump(m, &b);
	assert_eq_str(b.p, "[\"iPhone\",\"Galaxy\"]");
	json_decref(m);
	assert_true(lp_glossary_missed(&g, "iphone x", "iPhone x") == NULL);
	assert_true(lp_glossary_missed(&g, "nothing", "") == NULL);
	lp_buf_release(&b);
	lp_glossary_release(&g);
}

RUN_TESTS()
