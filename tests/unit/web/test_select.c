/*
 * CSS selectors over Gumbo: each kind of simple selector, combinators,
 * lists, document order, nesting, broken HTML, bad selectors.
 */
#include <gumbo.h>

#include "web/select.h"
#include "test.h"

static const char page[] =
    "<html><body><div id=main class='river results'>"
    "<ul><li class='s-item s-item--x' data-view='mi:1|iid:1'>"
    "<a class=s-item__link href='https://www.ebay.co.uk/itm/123?x=1'>"
    "<h3 class=s-item__title><span class=LIGHT_HIGHLIGHT>New listing</span>"
    "Phone</h3></a><span class=s-item__price>£5</span></li>"
    "<li class=s-item><p><b class=deep>x</b></p>"
    "<ul><li class=s-item>nested</li></ul></li>"
    "<li class=s-card><DIV Role=heading class=s-card__title>T</DIV></li>"
    "</ul></div><span class=s-item__price>outside</span>"
    "<custom-el data-x=1>c</custom-el></body></html>";

static GumboOutput *doc;

static int count_fn_n;
static void
count_fn(const GumboNode *e, void *arg)
{
	(void)e;
	(void)arg;
	count_fn_n++;
}

static int
count(const char *sel, int nested)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_sel *s = lp_sel_parse(sel, &err);

	if (s == NULL) {
		fprintf(stderr, "%s: %s\n", sel, err.msg);
		return -1;
	}
	count_fn_n = 0;
	lp_sel_each(s, doc->root, nested, count_fn, NULL);
	lp_sel_free(s);
	return count_fn_n;
}

TEST(simple_and_compound)
{
	doc = gumbo_parse(page);
	assert_eq_int(count("li", 1), 4);
	assert_eq_int(count("LI", 1), 4);
	assert_eq_int(count("*", 1) > 10, 1);
	assert_eq_int(count(".s-item", 1), 3);
	assert_eq_int(count("li.s-item.s-item--x", 1), 1);
	assert_eq_int(count(".s-item--", 1), 0); /* whole class names */
	assert_eq_int(count("#main", 1), 1);
	assert_eq_int(count("div#main.river", 1), 1);
	assert_eq_int(count("[data-view]", 1), 1);
	assert_eq_int(count("[data-view='mi:1|iid:1']", 1), 1);
	assert_eq_int(count("[data-view=\"mi:1\"]", 1), 0);
	assert_eq_int(count("a[href*=\"/itm/\"]", 1), 1);
	assert_eq_int(count("a[href^=https]", 1), 1);
	assert_eq_int(count("a[href$='x=1']", 1), 1);
	assert_eq_int(count("[ role = heading ]", 1), 1); /* names lower */
	assert_eq_int(count("custom-el[data-x=1]", 1), 1);
}

TEST(combinators_and_lists)
{
	assert_eq_int(count("li.s-item .s-item__price", 1), 1);
	assert_eq_int(count("body .s-item__price", 1), 2);
	assert_eq_int(count("li > a > h3", 1), 1);
	assert_eq_int(count("li>h3", 1), 0);
	assert_eq_int(count("li > p b.deep", 1), 1);
	assert_eq_int(count("div li  >  p > .deep", 1), 1);
	assert_eq_int(count("li.s-item, li.s-card", 1), 4);
	/* Not nested: the inner item is inside an item. */
	assert_eq_int(count("li.s-item, li.s-card", 0), 3);
	assert_eq_int(count(".s-item__title, .s-card__title", 1), 2);
}

TEST(first_and_attr)
{
	struct lp_error err = LP_ERROR_INIT;
	char buf[32];
	struct lp_sel *s = lp_sel_parse(".s-item__price", &err);
	const GumboNode *e = lp_sel_first(s, doc->root), *t;

	assert_true(e != NULL);
	t = e->v.element.children.data[0];
	assert_eq_str(t->v.text.text, "£5");
	assert_eq_str(lp_html_tag(e, buf, sizeof(buf)), "span");
	assert_eq_str(lp_html_attr(e, "class"), "s-item__price");
	assert_true(lp_html_attr(e, "href") == NULL);
	lp_sel_free(s);
	s = lp_sel_parse("custom-el", &err);
	assert_eq_str(lp_html_tag(lp_sel_first(s, doc->root), buf, sizeof(buf)),
	    "custom-el");
	lp_sel_free(s);
	s = lp_sel_parse("table", &err);
	assert_true(lp_sel_first(s, doc->root) == NULL);
	lp_sel_free(s);
}

TEST(bad_selectors)
{
	static const char *const bad[][2] = {
	    {"", "column 1: expected a selector"},
	    {"li,", "column 4: expected a selector"},
	    {"li >", "column 5: expected a selector"},
	    {"li:hover", "column 3: unexpected character"},
	    {".", "column 2: expected a class name"},
	    {"[x", "column 3: expected ']'"},
	    {"[x='y]", "column 7: unterminated quoted value"},
	    {"[=y]", "column 2: expected an attribute name"},
	    {"a ~ b", "column 3: unexpected character"}};
	struct lp_error err = LP_ERROR_INIT;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct lp_sel *s = lp_sel_parse(bad[i][0], &err);

		assert_true(s == NULL);
		assert_eq_str(err.msg, bad[i][1]);
	}
}

TEST(broken_html)
{
	GumboOutput *b = gumbo_parse(
	    "<li class=s-item><a href=/itm/1>one<li class=s-item><b>two");
	struct lp_error err = LP_ERROR_INIT;
	struct lp_sel *s = lp_sel_parse("li.s-item", &err);

	count_fn_n = 0;
	lp_sel_each(s, b->root, 0, count_fn, NULL);
	/* Gumbo closes the first li at the second. */
	assert_eq_int(count_fn_n, 2);
	lp_sel_free(s);
	gumbo_destroy_output(&kGumboDefaultOptions, b);
	gumbo_destroy_output(&kGumboDefaultOptions, doc);
}

/* Each case's page, pruned with keep, is its expected text. */
static void
prune_cases(const char *const (*cases)[2], size_t n, const char *const *keep)
{
	struct lp_buf b = LP_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		lp_html_prune(cases[i][0], strlen(cases[i][0]), keep, &b);
		assert_eq_mem(
		    b.p ? b.p : "", b.len, cases[i][1], strlen(cases[i][1]));
	}
	lp_buf_release(&b);
}

TEST(prune)
{
	static const char *const cases[][2] = {
	    {"<p>a</p><script>var x = '<li class=s-item>';</script><p>b</p>",
		"<p>a</p><script></script><p>b</p>"},
	    {"<SCRIPT type=text/javascript>x</SCRIPT >y",
		"<SCRIPT type=text/javascript></SCRIPT >y"},
	    {"<style>li{}</style><svg viewBox=0><path d=1 /></svg>z",
		"<style></style>z"},
	    {"<script type=\"application/ld+json\">{\"a\":1}</script>",
		"<script type=\"application/ld+json\">{\"a\":1}</script>"},
	    {"<scripts>keep</scripts><svgx>k</svgx>",
		"<scripts>keep</scripts><svgx>k</svgx>"},
	    {"<script>never closed", "<script>never closed"},
	    {"<p>ends with <", "<p>ends with <"}, {"", ""}};

	prune_cases(cases, sizeof(cases) / sizeof(*cases), NULL);
}

/* Only the attributes a rule reads reach the parser. */
TEST(prune_attributes)
{
	static const char *const keep[] = {"class", "href", NULL};
	static const char *const cases[][2] = {
	    {"<a href=\"/itm/1\" data-track='{\"a\":\">\"}' CLASS=x "
	     "onclick=go()>t</a>",
		"<a href=\"/itm/1\" CLASS=x>t</a>"},
	    {"<img src=a.jpg alt=\"a > b\"/><br/>", "<img><br>"},
	    {"<input disabled class = \"c d\">", "<input class = \"c d\">"},
	    {"<p>1 < 2 and 3 <4</p><!-- <a x=y> -->",
		"<p>1 < 2 and 3 <4</p><!-- <a x=y> -->"},
	    {"<a href=\"never closed", "<a href=\"never closed"},
	    {"<div =odd style=x>", "<div>"}};

	prune_cases(cases, sizeof(cases) / sizeof(*cases), keep);
}

/* With ".name" entries, class lists keep only the names rules read. */
TEST(prune_classes)
{
	static const char *const keep[] = {"class", ".s-item", ".Price", NULL};
	static const char *const cases[][2] = {
	    {"<li class=\"x s-item  y\tPrice\">",
		"<li class=\"s-item Price\">"},
	    {"<li class='s-item__title'>", "<li>"},
	    {"<li class=s-item id=1>", "<li class=\"s-item\">"},
	    {"<li class=\"price\">", "<li>"}, /* names keep their case */
	    {"<li class>", "<li>"}};

	prune_cases(cases, sizeof(cases) / sizeof(*cases), keep);
}

RUN_TESTS()
