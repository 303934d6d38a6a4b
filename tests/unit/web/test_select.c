/*
 * CSS selectors over Gumbo: each kind of simple selector, combinators,
 * lists, document order, nesting, broken HTML, bad selectors.
 */
#include <gumbo.h>
#include <pthread.h>

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

/*
 * A NUL in a tag's attribute names or class names (issue 25): the names
 * are compared by length, never read past their end, and a name with a
 * NUL in it is another name (Gumbo reads it as U+FFFD).  The keep list
 * is on the heap, as a profile's is, so that a read past one of its
 * names is a heap overflow under AddressSanitizer.
 */
TEST(prune_nul)
{
	static const char *const names[] = {"id", "class", ".s-card", NULL};
	static const struct {
		const char *in, *out;
		size_t inlen, outlen;
	} cases[] = {
#define C(in, out) {in, out, sizeof(in) - 1, sizeof(out) - 1}
	    C("<li class=\"s-card\0\">x</li>", "<li>x</li>"),
	    C("<li class=\"s-card\0x s-card\">", "<li class=\"s-card\">"),
	    C("<li class=s-card\0>", "<li>"),
	    C("<li id\0x=1 id=2>", "<li id=2>"),
	    C("<li i\0=1>", "<li>"),
	    C("<li class=\"s-car\0\">", "<li>"),
	    C("<li \0class=a>", "<li>"),
#undef C
	};
	char *keep[4];
	struct lp_buf b = LP_BUF_INIT;
	size_t i;

	for (i = 0; i < 4; i++)
		keep[i] = names[i] != NULL ? strdup(names[i]) : NULL;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		lp_html_prune(
		    cases[i].in, cases[i].inlen, (const char *const *)keep, &b);
		assert_eq_mem(
		    b.p ? b.p : "", b.len, cases[i].out, cases[i].outlen);
	}
	for (i = 0; i < 4; i++)
		free(keep[i]);
	lp_buf_release(&b);
}

/*
 * A tree deeper than any page's, built by hand (Gumbo's own parse of it
 * would take minutes): a chain of depth <div>s under <html>, a <span
 * class=deep> with a text at the bottom.
 */
struct chain {
	GumboNode *nodes;
	void **kids;
	GumboAttribute cls;
	GumboNode text;
	void *leaf[1];
	void *cls_v[1];
};

static GumboNode *
chain_new(struct chain *c, size_t depth)
{
	size_t i;

	c->nodes = calloc(depth + 2, sizeof(*c->nodes));
	c->kids = calloc(depth + 2, sizeof(*c->kids));
	for (i = 0; i < depth + 2; i++) {
		GumboNode *n = &c->nodes[i];

		n->type = GUMBO_NODE_ELEMENT;
		n->parent = i > 0 ? &c->nodes[i - 1] : NULL;
		n->v.element.tag = i == 0 ? GUMBO_TAG_HTML
		    : i == depth + 1	  ? GUMBO_TAG_SPAN
					  : GUMBO_TAG_DIV;
		if (i < depth + 1) {
			c->kids[i] = &c->nodes[i + 1];
			n->v.element.children.data = &c->kids[i];
			n->v.element.children.length = 1;
		}
	}
	memset(&c->cls, 0, sizeof(c->cls));
	c->cls.name = "class";
	c->cls.value = "deep";
	c->cls_v[0] = &c->cls;
	c->nodes[depth + 1].v.element.attributes.data = c->cls_v;
	c->nodes[depth + 1].v.element.attributes.length = 1;
	memset(&c->text, 0, sizeof(c->text));
	c->text.type = GUMBO_NODE_TEXT;
	c->text.parent = &c->nodes[depth + 1];
	c->text.v.text.text = "bottom";
	c->leaf[0] = &c->text;
	c->nodes[depth + 1].v.element.children.data = c->leaf;
	c->nodes[depth + 1].v.element.children.length = 1;
	return &c->nodes[0];
}

static void
chain_free(struct chain *c)
{
	free(c->nodes);
	free(c->kids);
}

/* Run fn on a thread with a small stack: deep recursion overflows it. */
static void
on_small_stack(void *(*fn)(void *), void *arg)
{
	pthread_attr_t a;
	pthread_t t;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 128 * 1024);
	assert_eq_int(pthread_create(&t, &a, fn, arg), 0);
	pthread_join(t, NULL);
	pthread_attr_destroy(&a);
}

static int deep_hits, deep_divs;

static void *
walk_deep(void *arg)
{
	const GumboNode *root = arg;
	struct lp_error err = LP_ERROR_INIT;
	struct lp_sel *span = lp_sel_parse("div > span.deep", &err);
	struct lp_sel *div = lp_sel_parse("div", &err);

	count_fn_n = 0;
	lp_sel_each(span, root, 1, count_fn, NULL);
	deep_hits = count_fn_n;
	if (lp_sel_first(span, root) == NULL)
		deep_hits = -1;
	count_fn_n = 0;
	lp_sel_each(div, root, 1, count_fn, NULL);
	deep_divs = count_fn_n;
	count_fn_n = 0;
	lp_sel_each(div, root, 0, count_fn, NULL); /* not inside a match */
	deep_divs += count_fn_n;
	lp_sel_free(span);
	lp_sel_free(div);
	return NULL;
}

/*
 * Issue 25: the walks over the tree take a stack of their own, not the
 * C stack, however deep the page.
 */
TEST(walk_deep)
{
	struct chain c;
	GumboNode *root = chain_new(&c, 200000);

	on_small_stack(walk_deep, root);
	assert_eq_int(deep_hits, 1);
	assert_eq_int(deep_divs, 200000 + 1);
	chain_free(&c);
}

/* The depth of the tree under n, walked without recursion. */
static size_t
depth_of(const GumboNode *root)
{
	const GumboNode *n = root, *up;
	size_t d, most = 0;

	/* Each leaf's depth by its parents: enough for the small trees here.
	 */
	for (;;) {
		const GumboVector *k = n->type == GUMBO_NODE_ELEMENT
		    ? &n->v.element.children
		    : NULL;

		if (k != NULL && k->length > 0) {
			n = k->data[0];
			continue;
		}
		for (d = 0, up = n; up != root; up = up->parent)
			d++;
		if (d > most)
			most = d;
		while (n != root) {
			const GumboNode *p = n->parent;

			if (n->index_within_parent + 1 <
			    p->v.element.children.length) {
				n = p->v.element.children
					.data[n->index_within_parent + 1];
				break;
			}
			n = p;
		}
		if (n == root)
			return most;
	}
}

/* text repeated n times, into b. */
static void
repeat(struct lp_buf *b, const char *text, size_t n)
{
	while (n-- > 0)
		lp_buf_adds(b, text);
}

/*
 * Issue 25: pruning bounds how deep the parser's tree can go, so that
 * Gumbo (whose work per tag grows with the depth, and whose freeing
 * recurses) is never handed a page nested 100,000 deep; a page nested
 * as pages are passes unchanged.
 */
TEST(prune_depth)
{
	static const char *const soups[][2] = {{"<div>", ""},
	    {"<div>", "</div>"}, {"<span><div></span>", ""},
	    {"<b><div></b>", ""}, {"<div><table></div>", ""},
	    {"<div><b></div>x", ""}, {"<table><td>", ""}, {"<ul><li>", ""},
	    {"<a><p>", "</a>"}, {"<div/>", ""}, {"<x-y>", ""},
	    {"<select><div>", ""}, {"<math><mi>", ""}};
	static const char *const keep[] = {"class", NULL};
	struct lp_buf in = LP_BUF_INIT, out = LP_BUF_INIT;
	size_t i;
	int k;

	for (i = 0; i < sizeof(soups) / sizeof(*soups); i++)
		for (k = 0; k < 2; k++) {
			GumboOutput *o;

			lp_buf_reset(&in);
			repeat(&in, soups[i][0], 20000);
			lp_buf_adds(&in, "x");
			repeat(&in, soups[i][1], 20000);
			lp_html_prune(in.p, in.len, k ? keep : NULL, &out);
			o = gumbo_parse_with_options(
			    &kGumboDefaultOptions, out.p, out.len);
			if (depth_of(o->root) > 4 * LP_HTML_MAX_DEPTH + 8) {
				FAIL("%s: %zu deep", soups[i][0],
				    depth_of(o->root));
			}
			gumbo_destroy_output(&kGumboDefaultOptions, o);
		}
	/* Nesting as deep as the bound, and no deeper, is kept whole. */
	lp_buf_reset(&in);
	repeat(&in, "<div>", LP_HTML_MAX_DEPTH);
	lp_buf_adds(&in, "x");
	repeat(&in, "</div>", LP_HTML_MAX_DEPTH);
	lp_html_prune(in.p, in.len, NULL, &out);
	assert_eq_mem(out.p, out.len, in.p, in.len);
	lp_buf_release(&in);
	lp_buf_release(&out);
}

RUN_TESTS()
