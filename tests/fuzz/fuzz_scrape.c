/*
 * libFuzzer target for reading pages (lp-scrape): the input as HTML,
 * parsed by Gumbo and run through the built-in eBay profile, and its first
 * line as a CSS selector (lib/select) matched over the same page, and
 * the page made UTF-8 by its declared charset (web/charset).
 * Invariants: nothing crashes or reads out of bounds; every record has an
 * id, a title-or-not, and canonical JSON dumps of it parse again; a page
 * converted is valid UTF-8; a pruned page's tree is no deeper than the
 * bound on nesting allows (issue 25: Gumbo's work grows with the depth).
 */
#include <gumbo.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/status.h"
#include "text/text.h"
#include "web/charset.h"
#include "web/profile.h"
#include "web/select.h"
#include "core/data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The depth of the deepest node under root. */
static size_t
depth(const GumboNode *root)
{
	struct lp_html_walk w;
	const GumboNode *n, *up;
	size_t most = 0, d;

	lp_html_walk_init(&w, root);
	while ((n = lp_html_walk_next(&w)) != NULL) {
		if (n->type == GUMBO_NODE_ELEMENT &&
		    n->v.element.children.length > 0)
			continue; /* the leaves are enough */
		for (d = 0, up = n; up != root; up = up->parent)
			d++;
		if (d > most)
			most = d;
	}
	lp_html_walk_release(&w);
	return most;
}

static void
count(const GumboNode *e, void *arg)
{
	(void)e;
	++*(int *)arg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lp_profile *p;
	static json_t *spec;
	GumboOutput *o;
	struct lp_page pg;
	char *line;
	struct lp_error err = LP_ERROR_INIT;
	const char *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - (const char *)data) : size, i;
	struct lp_sel *s;
	json_t *it, *product;
	int hits = 0;

	if (p == NULL) {
		spec = json_loadb((const char *)lp_data_ebay_profile,
		    lp_data_ebay_profile_len, 0, NULL);
		p = lp_profile_new(spec, &err);
		if (p == NULL)
			abort();
	}
	/* Pruning (attributes and class names) on the same bytes. */
	{
		struct lp_buf pr = LP_BUF_INIT;

		lp_html_prune(
		    (const char *)data, size, lp_profile_attrs(p), &pr);
		/* Only quotes are ever added (class=x becomes class="x"). */
		if (pr.len > 2 * size + 16)
			abort();
		o = lp_html_parse(pr.p, pr.len);
		if (depth(o->document) > 4 * LP_HTML_MAX_DEPTH + 8)
			abort();
		lp_html_free(o);
		lp_buf_release(&pr);
	}
	/* The page as UTF-8: valid, or refused. */
	{
		struct lp_buf u = LP_BUF_INIT;
		enum lp_charset_done done;

		lp_buf_add(&u, data, size);
		if (lp_charset_to_utf8(&u, NULL, &done, &err) == LP_OK &&
		    !lp_utf8_valid(u.p ? u.p : "", u.len, NULL))
			abort();
		lp_buf_release(&u);
	}
	product = lp_jsonld_product((const char *)data, size);
	o = lp_html_parse((const char *)data, size);
	lp_profile_extract(p, o->root, product, &pg);
	json_decref(product);
	json_array_foreach (pg.items, i, it) {
		struct lp_buf b = LP_BUF_INIT;
		json_t *back;

		if (!json_is_string(json_object_get(it, "id")))
			abort();
		lp_json_dump(it, &b);
		back = json_loadb(b.p, b.len, 0, NULL);
		if (back == NULL)
			abort();
		json_decref(back);
		lp_buf_release(&b);
	}
	lp_page_release(&pg);
	line = malloc(n + 1);
	memcpy(line, data, n);
	line[n] = '\0';
	if (memchr(line, '\0', n) == NULL &&
	    (s = lp_sel_parse(line, &err)) != NULL) {
		lp_sel_each(s, o->root, 1, count, &hits);
		lp_sel_free(s);
	}
	free(line);
	lp_html_free(o);
	return 0;
}
