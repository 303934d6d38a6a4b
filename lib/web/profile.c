#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/status.h"
#include "core/buf.h"
#include "core/json.h"
#include "text/price.h"
#include "web/profile.h"
#include "web/select.h"

enum parse { P_TEXT, P_PRICE, P_INT, P_BOOL };

struct field {
	const char *name, *attr, *from, *when, *unless, *tmpl;
	const char *host_from;	  /* a field whose URL's host the value takes */
	const char *jsonld;	  /* a path in the page's schema.org Product */
	json_t *value, *contains; /* contains: a string or a list */
	struct lp_sel *sel, *drop;
	regex_t re;
	int has_re, group;
	json_t *strip; /* array of prefixes */
	enum parse parse;
};

struct lp_profile {
	json_t *spec;
	struct lp_sel *item, *exclude, *next, *empty;
	json_t *skip, *require, *blocked;
	struct field *f;
	size_t nf;
	size_t nsel;  /* fields with a selector */
	char **attrs; /* the attributes any rule reads, NULL-terminated */
	size_t nattrs;
};

const char *
lp_profile_str(const struct lp_profile *p, const char *key)
{
	return json_string_value(json_object_get(p->spec, key));
}

static struct lp_sel *
sel(json_t *spec, const char *key, const char *where, int required,
    struct lp_error *err, int *bad)
{
	json_t *v = json_object_get(spec, key);
	struct lp_sel *s;

	if (v == NULL && !required)
		return NULL;
	if (!json_is_string(v)) {
		lp_error_set(err, "%s%s: want a CSS selector", where, key);
		*bad = 1;
		return NULL;
	}
	if ((s = lp_sel_parse(json_string_value(v), err)) == NULL) {
		lp_error_prefix(err, "%s%s", where, key);
		*bad = 1;
	}
	return s;
}

static int
field_new(struct field *f, json_t *spec, size_t i, struct lp_error *err)
{
	static const char *const parses[] = {"text", "price", "int", "bool"};
	char where[48];
	const char *parse, *pat;
	int bad = 0;
	size_t k;

	snprintf(where, sizeof(where), "fields[%zu].", i);
	memset(f, 0, sizeof(*f));
	f->name = json_string_value(json_object_get(spec, "name"));
	f->attr = json_string_value(json_object_get(spec, "attr"));
	f->contains = json_object_get(spec, "contains");
	f->from = json_string_value(json_object_get(spec, "from"));
	f->when = json_string_value(json_object_get(spec, "when"));
	f->unless = json_string_value(json_object_get(spec, "unless"));
	f->tmpl = json_string_value(json_object_get(spec, "template"));
	f->host_from = json_string_value(json_object_get(spec, "host_from"));
	f->jsonld = json_string_value(json_object_get(spec, "jsonld"));
	f->value = json_object_get(spec, "value");
	f->strip = json_object_get(spec, "strip_prefix");
	f->group = 1;
	if (f->name == NULL || f->name[0] == '\0')
		return lp_error_set(err, "%sname: want a field name", where);
	f->sel = sel(spec, "select", where, 0, err, &bad);
	if (!bad)
		f->drop = sel(spec, "drop", where, 0, err, &bad);
	if (bad)
		return LP_FAILED;
	if (f->sel == NULL && f->from == NULL && f->value == NULL &&
	    f->jsonld == NULL)
		return lp_error_set(
		    err, "%s: want select, from, jsonld or value", f->name);
	if ((pat = json_string_value(json_object_get(spec, "pattern")))) {
		int rc = regcomp(&f->re, pat, REG_EXTENDED | REG_ICASE);

		if (rc != 0) {
			char why[128];

			regerror(rc, &f->re, why, sizeof(why));
			return lp_error_set(err, "%spattern: %s", where, why);
		}
		f->has_re = 1;
		if (json_is_integer(json_object_get(spec, "group")))
			f->group = (int)json_integer_value(
			    json_object_get(spec, "group"));
		if (f->group < 0 || (size_t)f->group > f->re.re_nsub)
			return lp_error_set(err, "%sgroup: the pattern has %zu",
			    where, f->re.re_nsub);
	}
	if ((parse = json_string_value(json_object_get(spec, "parse")))) {
		for (k = 0; k < 4 && strcmp(parses[k], parse) != 0; k++)
			;
		if (k == 4)
			return lp_error_set(err,
			    "%sparse: '%s' is not text, price, int or bool",
			    where, parse);
		f->parse = (enum parse)k;
	}
	return LP_OK;
}

static void
field_free(struct field *f)
{
	lp_sel_free(f->sel);
	lp_sel_free(f->drop);
	if (f->has_re)
		regfree(&f->re);
}

static void
add_attr(struct lp_profile *p, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < p->nattrs; i++)
		if (strlen(p->attrs[i]) == n &&
		    (name[0] == '.' ? strncmp(p->attrs[i], name, n)
				    : strncasecmp(p->attrs[i], name, n)) == 0)
			return;
	p->attrs = lp_xrealloc(p->attrs, (p->nattrs + 2) * sizeof(*p->attrs));
	p->attrs[p->nattrs] = lp_xmalloc(n + 1);
	for (i = 0; i < n; i++)
		p->attrs[p->nattrs][i] = name[0] == '.' /* class names: as is */
		    ? name[i]
		    : (char)tolower((unsigned char)name[i]);
	p->attrs[p->nattrs][n] = '\0';
	p->attrs[++p->nattrs] = NULL;
}

/* The names in a selector's [attr...] parts, and its .class names. */
static void
add_sel_attrs(struct lp_profile *p, const char *sel)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:-";
	const char *at;

	for (at = sel; at != NULL && (at = strchr(at, '[')) != NULL;) {
		size_t n = strspn(++at, chars);

		add_attr(p, at, n);
		at += n;
	}
	for (at = sel; at != NULL && (at = strchr(at, '.')) != NULL;) {
		size_t n = strspn(at + 1, chars);

		if (n > 0)
			add_attr(p, at, n + 1); /* ".name", kept as written */
		at += n + 1;
	}
}

/* Every attribute a rule may read, so that pruning keeps them. */
static void
collect_attrs(struct lp_profile *p, json_t *spec)
{
	static const char *const sels[] = {"item", "exclude", "next", "empty"};
	json_t *f;
	size_t i;

	add_attr(p, "class", 5);
	add_attr(p, "id", 2);
	add_attr(p, "href", 4); /* the next page's link */
	for (i = 0; i < 4; i++)
		add_sel_attrs(
		    p, json_string_value(json_object_get(spec, sels[i])));
	json_array_foreach (json_object_get(spec, "fields"), i, f) {
		const char *a = json_string_value(json_object_get(f, "attr"));

		if (a != NULL)
			add_attr(p, a, strlen(a));
		add_sel_attrs(
		    p, json_string_value(json_object_get(f, "select")));
		add_sel_attrs(p, json_string_value(json_object_get(f, "drop")));
	}
}

struct lp_profile *
lp_profile_new(json_t *spec, struct lp_error *err)
{
	struct lp_profile *p = calloc(1, sizeof(*p));
	json_t *fields = json_object_get(spec, "fields"), *fs;
	int bad = 0;
	size_t i;

	if (p == NULL)
		abort();
	p->spec = spec;
	p->item = sel(spec, "item", "", 1, err, &bad);
	if (!bad)
		p->exclude = sel(spec, "exclude", "", 0, err, &bad);
	if (!bad)
		p->next = sel(spec, "next", "", 0, err, &bad);
	if (!bad)
		p->empty = sel(spec, "empty", "", 0, err, &bad);
	if (!bad && !json_is_array(fields)) {
		lp_error_set(err, "fields: want an array of fields");
		bad = 1;
	}
	p->skip = json_object_get(spec, "skip");
	p->require = json_object_get(spec, "require");
	p->blocked = json_object_get(spec, "blocked");
	if (!bad) {
		p->f = calloc(json_array_size(fields) + 1, sizeof(*p->f));
		json_array_foreach (fields, i, fs) {
			if (field_new(&p->f[i], fs, i, err) != LP_OK) {
				field_free(&p->f[i]);
				bad = 1;
				break;
			}
			p->nsel += p->f[i].sel != NULL;
			p->nf++;
		}
	}
	if (bad) {
		lp_profile_free(p);
		return NULL;
	}
	collect_attrs(p, spec);
	return p;
}

size_t
lp_profile_region(const struct lp_profile *p, const char *html, size_t n)
{
	json_t *marks = json_object_get(p->spec, "region"), *m;
	const char *first = NULL;
	size_t i;

	json_array_foreach (marks, i, m) {
		const char *at = json_string_length(m) > 0
		    ? memmem(
			  html, n, json_string_value(m), json_string_length(m))
		    : NULL;

		if (at != NULL && (first == NULL || at < first))
			first = at;
	}
	if (first == NULL)
		return 0;
	while (first > html && *first != '<')
		first--;
	return (size_t)(first - html);
}

const char *const *
lp_profile_attrs(const struct lp_profile *p)
{
	return (const char *const *)p->attrs;
}

void
lp_profile_free(struct lp_profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nattrs; i++)
		free(p->attrs[i]);
	free(p->attrs);
	lp_sel_free(p->item);
	lp_sel_free(p->exclude);
	lp_sel_free(p->next);
	lp_sel_free(p->empty);
	for (i = 0; i < p->nf; i++)
		field_free(&p->f[i]);
	free(p->f);
	free(p);
}

/* ---- Text. */

struct text {
	struct lp_buf b;
	int space; /* a space is due before the next word */
};

/* One node's part of the text; whether to go on into its children. */
static int
gather_node(const GumboNode *n, const struct lp_sel *drop, struct text *t)
{
	const char *s;

	switch (n->type) {
	case GUMBO_NODE_TEXT:
	case GUMBO_NODE_CDATA:
	case GUMBO_NODE_WHITESPACE:
		for (s = n->v.text.text; *s != '\0'; s++) {
			if (isspace((unsigned char)*s)) {
				t->space = 1;
				continue;
			}
			if (t->space && t->b.len > 0)
				lp_buf_addc(&t->b, ' ');
			t->space = 0;
			lp_buf_addc(&t->b, *s);
		}
		return 0;
	case GUMBO_NODE_ELEMENT:
		if (n->v.element.tag == GUMBO_TAG_SCRIPT ||
		    n->v.element.tag == GUMBO_TAG_STYLE ||
		    (drop != NULL && lp_sel_match(drop, n)))
			return 0;
		/* Block-ish elements and breaks separate words. */
		if (n->v.element.tag == GUMBO_TAG_BR)
			t->space = 1;
		return 1;
	default:
		return 0;
	}
}

/* The text of root and what it holds, in document order. */
static void
gather(const GumboNode *root, const struct lp_sel *drop, struct text *t)
{
	struct lp_html_walk w;
	const GumboNode *n;

	if (!gather_node(root, drop, t))
		return;
	lp_html_walk_init(&w, root);
	while ((n = lp_html_walk_next(&w)) != NULL)
		if (!gather_node(n, drop, t))
			lp_html_walk_skip(&w);
	lp_html_walk_release(&w);
}

static char *
text_of(const GumboNode *e, const struct lp_sel *drop)
{
	struct text t = {LP_BUF_INIT, 0};

	gather(e, drop, &t);
	lp_buf_addc(&t.b, '\0');
	return t.b.p;
}

/* ---- Items. */

/* Whether e's text has one of f's "contains" texts (ignoring case). */
static int
has_text(const struct field *f, const GumboNode *e)
{
	json_t *c = f->contains;
	size_t i, n, k = json_is_array(c) ? json_array_size(c) : 1;
	char *s = text_of(e, f->drop), *q;
	int hit = 0;

	for (i = 0; i < k && !hit; i++) {
		json_t *one = json_is_array(c) ? json_array_get(c, i) : c;

		if ((n = json_string_length(one)) == 0)
			continue;
		for (q = s; *q != '\0' && !hit; q++)
			hit = strncasecmp(q, json_string_value(one), n) == 0;
	}
	free(s);
	return hit;
}

/*
 * One walk over an item's elements for every field's selector: hit[i] is
 * field i's element, the first in document order that matches (and with
 * "contains" has the text), as a walk per field would find it; *left
 * counts the fields still looking, and the walk stops at 0.
 */
static void
find_all(const struct lp_profile *p, const GumboNode *n, const GumboNode **hit,
    size_t *left)
{
	struct lp_html_walk w;
	const GumboNode *c;
	size_t k;

	lp_html_walk_init(&w, n);
	while (*left > 0 && (c = lp_html_walk_next(&w)) != NULL) {
		if (c->type != GUMBO_NODE_ELEMENT &&
		    c->type != GUMBO_NODE_TEMPLATE)
			continue;
		for (k = 0; k < p->nf; k++) {
			const struct field *f = &p->f[k];

			if (f->sel != NULL && hit[k] == NULL &&
			    lp_sel_match(f->sel, c) &&
			    (f->contains == NULL || has_text(f, c))) {
				hit[k] = c;
				(*left)--;
			}
		}
	}
	lp_html_walk_release(&w);
}

/* ---- schema.org JSON-LD */

/* The value at a dotted path; a list on the way gives its first item. */
static json_t *
ld_path(json_t *v, const char *path)
{
	char key[64];

	while (v != NULL && *path != '\0') {
		size_t n = strcspn(path, ".");

		while (json_is_array(v))
			v = json_array_get(v, 0);
		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		v = json_object_get(v, key);
		path += n + (path[n] == '.');
	}
	while (json_is_array(v))
		v = json_array_get(v, 0);
	return v;
}

/*
 * A JSON-LD value as the text a selector would have given: an Offer as
 * "GBP 349.99" (a range for an AggregateOffer), a schema.org term such
 * as "https://schema.org/UsedCondition" as "Used", a thing by its name.
 */
static char *
ld_text(json_t *v)
{
	struct lp_buf b = LP_BUF_INIT;
	const char *cur, *s;
	json_t *lo, *hi;
	char *out;

	if (json_is_object(v) &&
	    (cur = json_string_value(json_object_get(v, "priceCurrency"))) !=
		NULL) {
		lo = json_object_get(v, "price");
		hi = NULL;
		if (lo == NULL) {
			lo = json_object_get(v, "lowPrice");
			hi = json_object_get(v, "highPrice");
		}
		out = ld_text(lo);
		if (out == NULL)
			return NULL;
		lp_buf_addf(&b, "%s %s", cur, out);
		free(out);
		if (hi != NULL && (out = ld_text(hi)) != NULL) {
			lp_buf_addf(&b, " to %s %s", cur, out);
			free(out);
		}
		return b.p;
	}
	if (json_is_object(v))
		return ld_text(json_object_get(v, "name"));
	if (json_is_number(v)) {
		lp_json_dump(v, &b);
		return b.p;
	}
	if ((s = json_string_value(v)) == NULL)
		return NULL;
	if (strncmp(s, "https://schema.org/", 19) == 0 ||
	    strncmp(s, "http://schema.org/", 18) == 0) {
		size_t n;

		s = strrchr(s, '/') + 1;
		n = strlen(s);
		if (n > 9 && strcmp(s + n - 9, "Condition") == 0)
			n -= 9;
		lp_buf_add(&b, s, n);
	} else
		lp_buf_adds(&b, s);
	return b.p != NULL ? b.p : strdup("");
}

static int
is_product(json_t *v)
{
	json_t *t = json_object_get(v, "@type"), *x;
	size_t i;

	if (json_is_string(t))
		return strcmp(json_string_value(t), "Product") == 0;
	json_array_foreach (t, i, x)
		if (json_is_string(x) &&
		    strcmp(json_string_value(x), "Product") == 0)
			return 1;
	return 0;
}

/* The first Product in a JSON-LD value (a list, a @graph). */
static json_t *
find_product(json_t *v, int depth)
{
	json_t *x, *found;
	size_t i;

	if (depth > 8)
		return NULL;
	if (json_is_object(v) && is_product(v))
		return v;
	if (json_is_object(v))
		v = json_object_get(v, "@graph");
	json_array_foreach (v, i, x)
		if ((found = find_product(x, depth + 1)) != NULL)
			return found;
	return NULL;
}

json_t *
lp_jsonld_product(const char *html, size_t n)
{
	const char *p = html, *end = html + n;

	/* <script type="application/ld+json">...</script>, each tried. */
	while (p < end) {
		const char *t = memmem(p, (size_t)(end - p), "ld+json", 7);
		const char *open, *close;
		json_t *doc, *prod;

		if (t == NULL)
			break;
		open = memchr(t, '>', (size_t)(end - t));
		if (open == NULL)
			break;
		open++;
		close = memmem(open, (size_t)(end - open), "</script", 8);
		if (close == NULL)
			break;
		p = close + 8;
		doc = json_loadb(open, (size_t)(close - open), 0, NULL);
		if ((prod = find_product(doc, 0)) != NULL) {
			json_incref(prod);
			json_decref(doc);
			return prod;
		}
		json_decref(doc); /* not JSON, or no Product: the next one */
	}
	return NULL;
}

/* The length of url's "scheme://host[:port]" if it is http or https, else 0. */
static size_t
origin_len(const char *url)
{
	size_t p, n;

	if (strncasecmp(url, "https://", 8) == 0)
		p = 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		p = 7;
	else
		return 0;
	n = strcspn(url + p, "/?#");
	return n > 0 ? p + n : 0;
}

/*
 * "host_from": v (a URL) on the scheme and host of the URL in field
 * f->host_from, when that is an absolute http or https URL: a link keeps
 * the host of the page it was on (www.ebay.com, not the template's).
 */
static json_t *
rehost(const struct field *f, json_t *v, json_t *rec)
{
	const char *link =
	    json_string_value(lp_json_path_get(rec, f->host_from));
	const char *s = json_string_value(v);
	size_t ln, sn;
	char *out;
	json_t *w;

	if (link == NULL || s == NULL || (ln = origin_len(link)) == 0 ||
	    (sn = origin_len(s)) == 0 ||
	    (ln == sn && strncasecmp(link, s, ln) == 0))
		return v;
	out = lp_xmalloc(ln + strlen(s + sn) + 1);
	memcpy(out, link, ln);
	memcpy(out + ln, s + sn, strlen(s + sn) + 1);
	w = json_string(out);
	free(out);
	json_decref(v);
	return w;
}

/* Text s as the field's value: its template applied, its host_from. */
static json_t *
templated(const struct field *f, const char *s, json_t *rec)
{
	struct lp_buf b = LP_BUF_INIT;
	const char *t = f->tmpl, *h;
	json_t *v;

	if (t == NULL)
		return json_string(s);
	while ((h = strstr(t, "{}")) != NULL) {
		lp_buf_add(&b, t, (size_t)(h - t));
		lp_buf_adds(&b, s);
		t = h + 2;
	}
	lp_buf_adds(&b, t);
	lp_buf_addc(&b, '\0');
	v = json_string(b.p);
	lp_buf_release(&b);
	return f->host_from != NULL ? rehost(f, v, rec) : v;
}

/* The field's value in item (or in the page's Product), or NULL. */
static json_t *
field_value(
    const struct field *f, const GumboNode *hit, json_t *product, json_t *rec)
{
	char *s = NULL;
	json_t *v;

	if (f->when != NULL && lp_json_path_get(rec, f->when) == NULL)
		return NULL;
	if (f->unless != NULL && lp_json_path_get(rec, f->unless) != NULL)
		return NULL;
	if (f->value != NULL)
		return json_deep_copy(f->value);
	/* Structured data first; the selectors for what it lacks. */
	if (f->jsonld != NULL && product != NULL)
		s = ld_text(ld_path(product, f->jsonld));
	if (s == NULL && f->from != NULL) {
		v = lp_json_path_get(rec, f->from);
		if (!json_is_string(v))
			return NULL;
		s = strdup(json_string_value(v));
		if (s == NULL)
			abort();
	} else if (s == NULL && f->sel != NULL) {
		if (hit == NULL)
			return NULL;
		if (f->attr != NULL) {
			const char *a = lp_html_attr(hit, f->attr);

			if (a == NULL)
				return NULL;
			s = strdup(a);
		} else
			s = text_of(hit, f->drop);
		if (s == NULL)
			abort();
	}
	if (s == NULL) /* only in JSON-LD, and not there */
		return NULL;
	if (f->has_re) {
		regmatch_t m[10];
		int g = f->group;

		if (regexec(&f->re, s, 10, m, 0) != 0 || m[g].rm_so < 0) {
			free(s);
			return NULL;
		}
		memmove(s, s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
		s[m[g].rm_eo - m[g].rm_so] = '\0';
	}
	if (json_is_array(f->strip)) {
		size_t i;
		json_t *pre;

		json_array_foreach (f->strip, i, pre) {
			size_t n = json_string_length(pre);

			if (n > 0 &&
			    strncasecmp(s, json_string_value(pre), n) == 0) {
				memmove(s, s + n, strlen(s + n) + 1);
				while (*s == ' ')
					memmove(s, s + 1, strlen(s));
			}
		}
	}
	if (s[0] == '\0' && f->parse != P_BOOL) {
		free(s);
		return NULL;
	}
	switch (f->parse) {
	case P_PRICE:
		v = lp_price_parse(s, strlen(s));
		break;
	case P_INT: {
		char *p = s;

		while (*p != '\0' && !isdigit((unsigned char)*p))
			p++;
		v = *p ? json_integer(strtoll(p, NULL, 10)) : NULL;
		break;
	}
	case P_BOOL:
		v = json_true();
		break;
	default:
		v = templated(f, s, rec);
	}
	free(s);
	return v;
}

struct walk {
	const struct lp_profile *p;
	struct lp_page *pg;
	json_t *product;
	const GumboNode **hit; /* each field's element in the item */
};

static int
skipped(const struct lp_profile *p, json_t *rec)
{
	const char *k;
	json_t *list, *v;
	size_t i;

	json_object_foreach (p->skip, k, list) {
		const char *have = json_string_value(lp_json_path_get(rec, k));

		json_array_foreach (list, i, v)
			if (have != NULL && json_is_string(v) &&
			    strcmp(have, json_string_value(v)) == 0)
				return 1;
	}
	json_array_foreach (p->require, i, v)
		if (lp_json_path_get(rec, json_string_value(v)) == NULL)
			return 1;
	return 0;
}

static void
item_fn(const GumboNode *e, void *arg)
{
	struct walk *w = arg;
	json_t *rec = json_object();
	size_t i, left;
	const char *k;
	void *tmp;
	json_t *v;

	/* Inside an excluded part of the page (other products, ads). */
	if (w->p->exclude != NULL) {
		const GumboNode *a;

		for (a = e; a != NULL && a->type == GUMBO_NODE_ELEMENT;
		     a = a->parent)
			if (lp_sel_match(w->p->exclude, a)) {
				w->pg->skipped++;
				json_decref(rec);
				return;
			}
	}
	memset(w->hit, 0, w->p->nf * sizeof(*w->hit));
	left = w->p->nsel;
	find_all(w->p, e, w->hit, &left);
	for (i = 0; i < w->p->nf; i++) {
		json_t *val =
		    field_value(&w->p->f[i], w->hit[i], w->product, rec);

		/* A name under a non-object value is skipped, not fatal. */
		if (val != NULL)
			lp_json_path_set(rec, w->p->f[i].name, val, NULL);
	}
	if (skipped(w->p, rec)) {
		w->pg->skipped++;
		json_decref(rec);
		return;
	}
	/* Working fields ("_name") are not written. */
	json_object_foreach_safe(rec, tmp, k, v) if (k[0] == '_')
	    json_object_del(rec, k);
	json_array_append_new(w->pg->items, rec);
}

static int
page_says(const GumboNode *root, json_t *texts)
{
	json_t *v;
	size_t i;
	char *all;
	int hit = 0;

	if (json_array_size(texts) == 0)
		return 0;
	all = text_of(root, NULL);
	json_array_foreach (texts, i, v)
		if (json_is_string(v) && strstr(all, json_string_value(v)))
			hit = 1;
	free(all);
	return hit;
}

void
lp_profile_extract(const struct lp_profile *p, const GumboNode *root,
    json_t *product, struct lp_page *out)
{
	struct walk w = {p, out, NULL, NULL};
	const GumboNode *n;

	memset(out, 0, sizeof(*out));
	out->items = json_array();
	w.hit = lp_xmalloc((p->nf + 1) * sizeof(*w.hit));
	lp_sel_each(p->item, root, 0, item_fn, &w);
	/* An item page: its Product is the one item, the page its node. */
	if (json_array_size(out->items) == 0 && product != NULL) {
		w.product = product;
		item_fn(root, &w);
	}
	free(w.hit);
	if (p->next != NULL && (n = lp_sel_first(p->next, root)) != NULL &&
	    lp_html_attr(n, "href") != NULL)
		out->next = strdup(lp_html_attr(n, "href"));
	if (json_array_size(out->items) == 0) {
		/* Only a page without items is looked at for why. */
		out->blocked = page_says(root, p->blocked);
		out->empty = !out->blocked && p->empty != NULL &&
		    lp_sel_first(p->empty, root) != NULL;
	}
}

void
lp_page_release(struct lp_page *pg)
{
	json_decref(pg->items);
	free(pg->next);
	memset(pg, 0, sizeof(*pg));
}
