#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/status.h"
#include "core/buf.h"
#include "web/select.h"

struct attr {
	char *name, *value;
	char op; /* 0 present, '=', '*', '^', '$' */
};

struct compound {
	char *tag; /* NULL: any */
	char **classes;
	int nclass;
	char *id;
	struct attr *attrs;
	int nattr;
	char comb; /* to the compound before: ' ' or '>' (0 for the first) */
};

struct complex {
	struct compound *c;
	int n;
};

struct lp_sel {
	struct complex *v;
	int n;
};

/* ---- Parsing. */

struct parser {
	const char *s, *p;
	struct lp_error *err;
	int failed;
};

static void
fail(struct parser *ps, const char *why)
{
	if (!ps->failed)
		lp_error_set(
		    ps->err, "column %d: %s", (int)(ps->p - ps->s) + 1, why);
	ps->failed = 1;
}

static int
identc(int c)
{
	return isalnum(c) || c == '-' || c == '_' || c >= 0x80;
}

static char *
ident(struct parser *ps, const char *what)
{
	const char *start = ps->p;
	char *out;

	while (identc((unsigned char)*ps->p))
		ps->p++;
	if (ps->p == start) {
		fail(ps, what);
		return NULL;
	}
	out = lp_xmalloc((size_t)(ps->p - start) + 1);
	memcpy(out, start, (size_t)(ps->p - start));
	out[ps->p - start] = '\0';
	return out;
}

static void
skip_ws(struct parser *ps)
{
	while (
	    *ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static char *
value(struct parser *ps)
{
	char q = *ps->p, *out;
	const char *start;

	if (q != '"' && q != '\'')
		return ident(ps, "expected a value");
	start = ++ps->p;
	while (*ps->p != '\0' && *ps->p != q)
		ps->p++;
	if (*ps->p != q) {
		fail(ps, "unterminated quoted value");
		return NULL;
	}
	out = lp_xmalloc((size_t)(ps->p - start) + 1);
	memcpy(out, start, (size_t)(ps->p - start));
	out[ps->p - start] = '\0';
	ps->p++;
	return out;
}

static void
attribute(struct parser *ps, struct compound *c)
{
	struct attr a = {NULL, NULL, 0};

	ps->p++; /* [ */
	skip_ws(ps);
	if ((a.name = ident(ps, "expected an attribute name")) == NULL)
		return;
	skip_ws(ps);
	if (*ps->p == '=')
		a.op = '=';
	else if (strchr("*^$", *ps->p) != NULL && *ps->p != '\0' &&
	    ps->p[1] == '=')
		a.op = *ps->p++;
	if (a.op != 0) {
		ps->p++;
		skip_ws(ps);
		a.value = value(ps);
		skip_ws(ps);
	}
	if (!ps->failed && *ps->p != ']')
		fail(ps, "expected ']'");
	else
		ps->p++;
	c->attrs =
	    lp_xrealloc(c->attrs, sizeof(*c->attrs) * (size_t)(c->nattr + 1));
	c->attrs[c->nattr++] = a;
}

static void
compound(struct parser *ps, struct compound *c)
{
	int parts = 0;

	if (*ps->p == '*') {
		ps->p++;
		parts++;
	} else if (identc((unsigned char)*ps->p)) {
		char *t = ident(ps, "expected a type");

		char *q;

		for (q = t; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		c->tag = t;
		parts++;
	}
	while (!ps->failed) {
		if (*ps->p == '.') {
			char *cl;

			ps->p++;
			if ((cl = ident(ps, "expected a class name")) == NULL)
				break;
			c->classes = lp_xrealloc(c->classes,
			    sizeof(*c->classes) * (size_t)(c->nclass + 1));
			c->classes[c->nclass++] = cl;
		} else if (*ps->p == '#') {
			ps->p++;
			free(c->id);
			c->id = ident(ps, "expected an id");
		} else if (*ps->p == '[')
			attribute(ps, c);
		else
			break;
		parts++;
	}
	if (parts == 0)
		fail(ps,
		    *ps->p == '\0' ? "expected a selector"
				   : "unexpected character");
}

static int
skip_ws_seen(struct parser *ps)
{
	const char *p = ps->p;

	skip_ws(ps);
	return ps->p != p;
}

struct lp_sel *
lp_sel_parse(const char *text, struct lp_error *err)
{
	struct parser ps = {text, text, err, 0};
	struct lp_sel *s = calloc(1, sizeof(*s));
	int done = 0;

	if (s == NULL)
		abort();
	skip_ws(&ps);
	while (!done && !ps.failed) {
		struct complex *cx;
		char comb = 0;

		s->v = lp_xrealloc(s->v, sizeof(*s->v) * (size_t)(s->n + 1));
		cx = &s->v[s->n++];
		memset(cx, 0, sizeof(*cx));
		for (;;) {
			struct compound *c;
			int ws;

			cx->c = lp_xrealloc(
			    cx->c, sizeof(*cx->c) * (size_t)(cx->n + 1));
			c = &cx->c[cx->n++];
			memset(c, 0, sizeof(*c));
			c->comb = comb;
			compound(&ps, c);
			if (ps.failed)
				break;
			ws = skip_ws_seen(&ps);
			if (*ps.p == '\0') {
				done = 1;
				break;
			}
			if (*ps.p == ',') {
				ps.p++;
				skip_ws(&ps);
				break;
			}
			if (*ps.p == '>') {
				ps.p++;
				skip_ws(&ps);
				comb = '>';
				continue;
			}
			if (!ws) {
				fail(&ps, "unexpected character");
				break;
			}
			comb = ' ';
		}
	}
	if (ps.failed) {
		lp_sel_free(s);
		return NULL;
	}
	return s;
}

void
lp_sel_free(struct lp_sel *s)
{
	int i, j, k;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		for (j = 0; j < s->v[i].n; j++) {
			struct compound *c = &s->v[i].c[j];

			free(c->tag);
			free(c->id);
			for (k = 0; k < c->nclass; k++)
				free(c->classes[k]);
			free(c->classes);
			for (k = 0; k < c->nattr; k++) {
				free(c->attrs[k].name);
				free(c->attrs[k].value);
			}
			free(c->attrs);
		}
		free(s->v[i].c);
	}
	free(s->v);
	free(s);
}

/* ---- Matching. */

const char *
lp_html_attr(const GumboNode *e, const char *name)
{
	const GumboAttribute *a;

	if (e->type != GUMBO_NODE_ELEMENT)
		return NULL;
	a = gumbo_get_attribute(&e->v.element.attributes, name);
	return a != NULL ? a->value : NULL;
}

const char *
lp_html_tag(const GumboNode *e, char *buf, size_t n)
{
	GumboStringPiece t;
	size_t i;

	if (e->v.element.tag != GUMBO_TAG_UNKNOWN)
		return gumbo_normalized_tagname(e->v.element.tag);
	t = e->v.element.original_tag;
	gumbo_tag_from_original_text(&t);
	for (i = 0; i < t.length && i + 1 < n; i++)
		buf[i] = (char)tolower((unsigned char)t.data[i]);
	buf[i] = '\0';
	return buf;
}

static int
has_class(const char *list, const char *cl)
{
	size_t n = strlen(cl);
	const char *p = list;

	while (*p != '\0') {
		const char *start;

		while (*p != '\0' && isspace((unsigned char)*p))
			p++;
		start = p;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
		if ((size_t)(p - start) == n && memcmp(start, cl, n) == 0)
			return 1;
	}
	return 0;
}

static int
attr_match(const struct attr *a, const char *v)
{
	size_t vn, an;

	if (v == NULL)
		return 0;
	if (a->op == 0)
		return 1;
	vn = strlen(v);
	an = strlen(a->value);
	switch (a->op) {
	case '=':
		return strcmp(v, a->value) == 0;
	case '*':
		return an > 0 && strstr(v, a->value) != NULL;
	case '^':
		return an > 0 && strncmp(v, a->value, an) == 0;
	default: /* '$' */
		return an > 0 && vn >= an && strcmp(v + vn - an, a->value) == 0;
	}
}

static int
compound_match(const struct compound *c, const GumboNode *e)
{
	char buf[64];
	const char *cls;
	int i;

	if (e->type != GUMBO_NODE_ELEMENT)
		return 0;
	if (c->tag != NULL && strcmp(lp_html_tag(e, buf, sizeof(buf)), c->tag))
		return 0;
	if (c->id != NULL &&
	    (lp_html_attr(e, "id") == NULL ||
		strcmp(lp_html_attr(e, "id"), c->id) != 0))
		return 0;
	cls = lp_html_attr(e, "class");
	for (i = 0; i < c->nclass; i++)
		if (cls == NULL || !has_class(cls, c->classes[i]))
			return 0;
	for (i = 0; i < c->nattr; i++)
		if (!attr_match(
			&c->attrs[i], lp_html_attr(e, c->attrs[i].name)))
			return 0;
	return 1;
}

static const GumboNode *
parent_element(const GumboNode *e)
{
	const GumboNode *p = e->parent;

	return p != NULL && p->type == GUMBO_NODE_ELEMENT ? p : NULL;
}

/* Compounds 0..i of x match with compound i on e. */
static int
match_from(const struct complex *x, int i, const GumboNode *e)
{
	const GumboNode *a;

	if (!compound_match(&x->c[i], e))
		return 0;
	if (i == 0)
		return 1;
	if (x->c[i].comb == '>')
		return (a = parent_element(e)) != NULL &&
		    match_from(x, i - 1, a);
	for (a = parent_element(e); a != NULL; a = parent_element(a))
		if (match_from(x, i - 1, a))
			return 1;
	return 0;
}

int
lp_sel_match(const struct lp_sel *s, const GumboNode *e)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (match_from(&s->v[i], s->v[i].n - 1, e))
			return 1;
	return 0;
}

/* The children of a node that has them (document, element, template). */
static const GumboVector *
children(const GumboNode *n)
{
	switch (n->type) {
	case GUMBO_NODE_DOCUMENT:
		return &n->v.document.children;
	case GUMBO_NODE_ELEMENT:
	case GUMBO_NODE_TEMPLATE:
		return &n->v.element.children;
	default:
		return NULL;
	}
}

void
lp_html_walk_init(struct lp_html_walk *w, const GumboNode *root)
{
	w->last = root;
	w->v = w->inline_v;
	w->n = 0;
	w->cap = sizeof(w->inline_v) / sizeof(*w->inline_v);
}

const GumboNode *
lp_html_walk_next(struct lp_html_walk *w)
{
	const GumboVector *kids;

	if (w->last != NULL && (kids = children(w->last)) != NULL &&
	    kids->length > 0) {
		if (w->n == w->cap) {
			struct lp_html_frame *v =
			    lp_xmalloc(2 * w->cap * sizeof(*v));

			memcpy(v, w->v, w->n * sizeof(*v));
			if (w->v != w->inline_v)
				free(w->v);
			w->v = v;
			w->cap *= 2;
		}
		w->v[w->n].kids = kids;
		w->v[w->n++].next = 0;
	}
	w->last = NULL;
	while (w->n > 0) {
		struct lp_html_frame *f = &w->v[w->n - 1];

		if (f->next < f->kids->length)
			return w->last = f->kids->data[f->next++];
		w->n--;
	}
	return NULL;
}

void
lp_html_walk_skip(struct lp_html_walk *w)
{
	w->last = NULL;
}

void
lp_html_walk_release(struct lp_html_walk *w)
{
	if (w->v != w->inline_v)
		free(w->v);
	w->v = w->inline_v;
	w->n = 0;
}

/* The elements under root that match s, to fn (the first alone, or all;
 * not inside a match unless nested). */
static void
each(const struct lp_sel *s, const GumboNode *root, int nested,
    void (*fn)(const GumboNode *, void *), void *arg, int first_only)
{
	struct lp_html_walk w;
	const GumboNode *k;

	lp_html_walk_init(&w, root);
	while ((k = lp_html_walk_next(&w)) != NULL) {
		if (k->type != GUMBO_NODE_ELEMENT &&
		    k->type != GUMBO_NODE_TEMPLATE) {
			lp_html_walk_skip(&w);
			continue;
		}
		if (lp_sel_match(s, k)) {
			fn(k, arg);
			if (first_only)
				break;
			if (!nested)
				lp_html_walk_skip(&w);
		}
	}
	lp_html_walk_release(&w);
}

static void
keep_first(const GumboNode *e, void *arg)
{
	*(const GumboNode **)arg = e;
}

const GumboNode *
lp_sel_first(const struct lp_sel *s, const GumboNode *root)
{
	const GumboNode *found = NULL;

	each(s, root, 1, keep_first, &found, 1);
	return found;
}

void
lp_sel_each(const struct lp_sel *s, const GumboNode *root, int nested,
    void (*fn)(const GumboNode *e, void *arg), void *arg)
{
	each(s, root, nested, fn, arg, 0);
}

/* ---- Parsing pages. */

/* The options: Gumbo's defaults, but no parse error recorded. */
static GumboOptions
parse_options(void)
{
	GumboOptions o = kGumboDefaultOptions;

	o.max_errors = 0;
	return o;
}

GumboOutput *
lp_html_parse(const char *p, size_t n)
{
	GumboOptions o = parse_options();

	return gumbo_parse_with_options(&o, p != NULL ? p : "", n);
}

void
lp_html_free(GumboOutput *out)
{
	GumboOptions o = parse_options();

	if (out != NULL)
		gumbo_destroy_output(&o, out);
}

/* ---- Pruning. */

/* Case-insensitive memmem for an ASCII needle. */
static const char *
find_ci(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);

	for (; p + n <= end; p++) {
		p = memchr(p, '<', (size_t)(end - p));
		if (p == NULL || p + n > end)
			return NULL;
		if (strncasecmp(p, needle, n) == 0)
			return p;
	}
	return NULL;
}

/*
 * Whether p[0..n) is name (a C string), by length: p is page text and
 * may hold NUL bytes, which no name has; with icase, ASCII case aside.
 * Neither string is read past its end.
 */
static int
is_name(const char *p, size_t n, const char *name, int icase)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char a = (unsigned char)p[i];
		unsigned char b = (unsigned char)name[i];

		if (b == '\0')
			return 0;
		if (a != b && (!icase || tolower(a) != tolower(b)))
			return 0;
	}
	return name[n] == '\0';
}

/*
 * The tag at lt (n bytes left) when it opens one of the elements pruned:
 * "script", "style" or "svg" whole, not a longer name ("<scripts>").
 */
static const char *
pruned_tag(const char *lt, size_t n)
{
	static const char *const names[] = {"<script", "<style", "<svg"};
	size_t i, k;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		k = strlen(names[i]);
		if (n > k && strncasecmp(lt, names[i], k) == 0 &&
		    strchr(">/ \t\n\r", lt[k]) != NULL && lt[k] != '\0')
			return names[i] + 1;
	}
	return NULL;
}

/* Whether the attribute name at p[0..n) is in keep (any case). */
static int
kept(const char *p, size_t n, const char *const *keep)
{
	for (; *keep != NULL; keep++)
		if (tolower((unsigned char)**keep) ==
			tolower((unsigned char)*p) &&
		    is_name(p, n, *keep, 1))
			return 1;
	return 0;
}

/*
 * A class attribute (name .. end) with only the class names keep lists
 * (as ".name"): 1 when done that way, 0 when keep lists none (then the
 * attribute is copied whole).  Names no selector reads are never matched,
 * and eBay's class lists are a third of what is left of a page.
 */
static int
keep_classes(const char *name, const char *end, const char *const *keep,
    struct lp_buf *out)
{
	const char *v = memchr(name, '=', (size_t)(end - name)), *t;
	const char *const *k;
	size_t start = out->len;
	int any = 0;

	for (k = keep; *k != NULL && **k != '.'; k++)
		;
	if (*k == NULL)
		return 0;
	if (v == NULL)
		return 1;
	for (v++;
	     v < end && (isspace((unsigned char)*v) || *v == '"' || *v == '\'');
	     v++)
		;
	lp_buf_adds(out, " class=\"");
	while (v < end) {
		for (t = v; t < end && !isspace((unsigned char)*t) &&
		     *t != '"' && *t != '\'';
		     t++)
			;
		/* First letters first: no strlen() per name and token. */
		for (k = keep; t > v && *k != NULL; k++)
			if (**k == '.' && (*k)[1] == *v &&
			    is_name(v, (size_t)(t - v), *k + 1, 0)) {
				if (any++)
					lp_buf_addc(out, ' ');
				lp_buf_add(out, v, (size_t)(t - v));
				break;
			}
		for (v = t; v < end &&
		     (isspace((unsigned char)*v) || *v == '"' || *v == '\'');
		     v++)
			;
	}
	if (any)
		lp_buf_addc(out, '"');
	else
		out->len = start; /* no class a rule reads: none at all */
	if (out->p != NULL)
		out->p[out->len] = '\0';
	return 1;
}

/*
 * The attribute at q: its name ends at *name_end, and it (with its
 * value) where this returns.  As HTML's tokenizer reads it: names end at
 * space, '/', '=' or '>'; values are quoted or end at space or '>'.
 */
static const char *
attribute_end(const char *q, const char *end, const char **name_end)
{
	const char *name = q, *vend;

	while (q < end && !isspace((unsigned char)*q) && *q != '>' &&
	    *q != '/' && (*q != '=' || q == name))
		q++;
	*name_end = vend = q;
	while (vend < end && isspace((unsigned char)*vend))
		vend++;
	if (vend >= end || *vend != '=')
		return q;
	vend++;
	while (vend < end && isspace((unsigned char)*vend))
		vend++;
	if (vend < end && (*vend == '"' || *vend == '\'')) {
		const char *cq =
		    memchr(vend + 1, *vend, (size_t)(end - vend - 1));

		return cq != NULL ? cq + 1 : end;
	}
	while (vend < end && !isspace((unsigned char)*vend) && *vend != '>')
		vend++;
	return vend;
}

/* The end of a tag's name (q is its start). */
static const char *
name_end(const char *q, const char *end)
{
	while (q < end && !isspace((unsigned char)*q) && *q != '>' && *q != '/')
		q++;
	return q;
}

/* Where the tag at lt (its name at name) ends: past its '>', or end. */
static const char *
tag_end(const char *name, const char *end)
{
	const char *q = name_end(name, end), *ne;

	for (;;) {
		while (q < end && (isspace((unsigned char)*q) || *q == '/'))
			q++;
		if (q >= end)
			return end;
		if (*q == '>')
			return q + 1;
		q = attribute_end(q, end, &ne);
	}
}

/*
 * Copy the start tag at lt with only the attributes in keep; where the
 * copy should go on.
 */
static const char *
start_tag(const char *lt, const char *end, const char *const *keep,
    struct lp_buf *out)
{
	const char *q = name_end(lt + 1, end);

	lp_buf_add(out, lt, (size_t)(q - lt));
	for (;;) {
		const char *name, *ne;

		while (q < end && (isspace((unsigned char)*q) || *q == '/'))
			q++;
		if (q >= end)
			return end;
		if (*q == '>') {
			lp_buf_addc(out, '>');
			return q + 1;
		}
		name = q;
		q = attribute_end(q, end, &ne);
		if (!kept(name, (size_t)(ne - name), keep))
			continue;
		if (ne - name == 5 && strncasecmp(name, "class", 5) == 0 &&
		    keep_classes(name, q, keep, out))
			continue;
		lp_buf_addc(out, ' ');
		lp_buf_add(out, name, (size_t)(q - name));
	}
}

/*
 * ---- How deep the tree goes.
 *
 * The elements open, as the parser will have them, followed from the
 * tags alone.  Of HTML's rules for building the tree, those that decide
 * the depth: void elements (<br>) hold nothing; elements whose end tag may
 * be left out (<p>, <li>, <td>, <option>) close the one before, so they
 * do not nest in themselves and are not followed; an end tag closes the
 * nearest element of its name and those opened after it, unless a
 * boundary comes first (a table, a cell's other scopes; for an element
 * that is not special, any special element such as <div>), when the
 * parser ignores it; formatting elements (<b>) closed out of turn may be
 * opened again, so they stay counted until their own end tag.  Where the
 * rules are subtler, the count errs high: the parser's tree is never
 * more than a few times deeper than LP_HTML_MAX_DEPTH.
 */

enum {
	K_VOID = 1,    /* holds nothing: <br> */
	K_FREE = 2,    /* not followed: <p>, <li>; <script> (pruned) */
	K_FORMAT = 4,  /* a formatting element: <b> */
	K_SPECIAL = 8, /* special: <div>; an end tag of another stops here */
	K_SCOPE = 16,  /* a scope boundary: <table> */
	K_RAW = 32     /* holds text, not tags: <title>, <textarea> */
};

#define SP K_SPECIAL
#define SC (K_SPECIAL | K_SCOPE)
static const unsigned char kinds[GUMBO_TAG_LAST + 1] = {
    [GUMBO_TAG_AREA] = K_VOID,
    [GUMBO_TAG_BASE] = K_VOID,
    [GUMBO_TAG_BASEFONT] = K_VOID,
    [GUMBO_TAG_BGSOUND] = K_VOID,
    [GUMBO_TAG_BR] = K_VOID,
    [GUMBO_TAG_COL] = K_VOID,
    [GUMBO_TAG_EMBED] = K_VOID,
    [GUMBO_TAG_FRAME] = K_VOID,
    [GUMBO_TAG_HR] = K_VOID,
    [GUMBO_TAG_IMAGE] = K_VOID,
    [GUMBO_TAG_IMG] = K_VOID,
    [GUMBO_TAG_INPUT] = K_VOID,
    [GUMBO_TAG_KEYGEN] = K_VOID,
    [GUMBO_TAG_LINK] = K_VOID,
    [GUMBO_TAG_META] = K_VOID,
    [GUMBO_TAG_PARAM] = K_VOID,
    [GUMBO_TAG_SOURCE] = K_VOID,
    [GUMBO_TAG_TRACK] = K_VOID,
    [GUMBO_TAG_WBR] = K_VOID,
    [GUMBO_TAG_HTML] = K_FREE,
    [GUMBO_TAG_HEAD] = K_FREE,
    [GUMBO_TAG_BODY] = K_FREE,
    [GUMBO_TAG_P] = K_FREE,
    [GUMBO_TAG_LI] = K_FREE,
    [GUMBO_TAG_DD] = K_FREE,
    [GUMBO_TAG_DT] = K_FREE,
    [GUMBO_TAG_OPTION] = K_FREE,
    [GUMBO_TAG_OPTGROUP] = K_FREE,
    [GUMBO_TAG_TBODY] = K_FREE,
    [GUMBO_TAG_THEAD] = K_FREE,
    [GUMBO_TAG_TFOOT] = K_FREE,
    [GUMBO_TAG_TR] = K_FREE,
    [GUMBO_TAG_TD] = K_FREE,
    [GUMBO_TAG_TH] = K_FREE,
    [GUMBO_TAG_COLGROUP] = K_FREE,
    [GUMBO_TAG_SCRIPT] = K_FREE,
    [GUMBO_TAG_STYLE] = K_FREE,
    [GUMBO_TAG_A] = K_FORMAT,
    [GUMBO_TAG_B] = K_FORMAT,
    [GUMBO_TAG_BIG] = K_FORMAT,
    [GUMBO_TAG_CODE] = K_FORMAT,
    [GUMBO_TAG_EM] = K_FORMAT,
    [GUMBO_TAG_FONT] = K_FORMAT,
    [GUMBO_TAG_I] = K_FORMAT,
    [GUMBO_TAG_NOBR] = K_FORMAT,
    [GUMBO_TAG_S] = K_FORMAT,
    [GUMBO_TAG_SMALL] = K_FORMAT,
    [GUMBO_TAG_STRIKE] = K_FORMAT,
    [GUMBO_TAG_STRONG] = K_FORMAT,
    [GUMBO_TAG_TT] = K_FORMAT,
    [GUMBO_TAG_U] = K_FORMAT,
    [GUMBO_TAG_APPLET] = SC,
    [GUMBO_TAG_CAPTION] = SC,
    [GUMBO_TAG_MARQUEE] = SC,
    [GUMBO_TAG_OBJECT] = SC,
    [GUMBO_TAG_TABLE] = SC,
    [GUMBO_TAG_TEMPLATE] = SC,
    [GUMBO_TAG_MI] = SC,
    [GUMBO_TAG_MO] = SC,
    [GUMBO_TAG_MN] = SC,
    [GUMBO_TAG_MS] = SC,
    [GUMBO_TAG_MTEXT] = SC,
    [GUMBO_TAG_ANNOTATION_XML] = SC,
    [GUMBO_TAG_FOREIGNOBJECT] = SC,
    [GUMBO_TAG_DESC] = SC,
    [GUMBO_TAG_ADDRESS] = SP,
    [GUMBO_TAG_ARTICLE] = SP,
    [GUMBO_TAG_ASIDE] = SP,
    [GUMBO_TAG_BLOCKQUOTE] = SP,
    [GUMBO_TAG_BUTTON] = SP,
    [GUMBO_TAG_CENTER] = SP,
    [GUMBO_TAG_DETAILS] = SP,
    [GUMBO_TAG_DIR] = SP,
    [GUMBO_TAG_DIV] = SP,
    [GUMBO_TAG_DL] = SP,
    [GUMBO_TAG_FIELDSET] = SP,
    [GUMBO_TAG_FIGCAPTION] = SP,
    [GUMBO_TAG_FIGURE] = SP,
    [GUMBO_TAG_FOOTER] = SP,
    [GUMBO_TAG_FORM] = SP,
    [GUMBO_TAG_FRAMESET] = SP,
    [GUMBO_TAG_H1] = SP,
    [GUMBO_TAG_H2] = SP,
    [GUMBO_TAG_H3] = SP,
    [GUMBO_TAG_H4] = SP,
    [GUMBO_TAG_H5] = SP,
    [GUMBO_TAG_H6] = SP,
    [GUMBO_TAG_HEADER] = SP,
    [GUMBO_TAG_HGROUP] = SP,
    [GUMBO_TAG_LISTING] = SP,
    [GUMBO_TAG_MAIN] = SP,
    [GUMBO_TAG_MENU] = SP,
    [GUMBO_TAG_NAV] = SP,
    [GUMBO_TAG_NOSCRIPT] = SP,
    [GUMBO_TAG_OL] = SP,
    [GUMBO_TAG_PRE] = SP,
    [GUMBO_TAG_SECTION] = SP,
    [GUMBO_TAG_SELECT] = SP,
    [GUMBO_TAG_SUMMARY] = SP,
    [GUMBO_TAG_UL] = SP,
    [GUMBO_TAG_IFRAME] = SP | K_RAW,
    [GUMBO_TAG_NOEMBED] = SP | K_RAW,
    [GUMBO_TAG_NOFRAMES] = SP | K_RAW,
    [GUMBO_TAG_PLAINTEXT] = SP | K_RAW,
    [GUMBO_TAG_TEXTAREA] = SP | K_RAW,
    [GUMBO_TAG_TITLE] = SP | K_RAW,
    [GUMBO_TAG_XMP] = SP | K_RAW};
#undef SP
#undef SC

struct open_el {
	GumboTag tag;
	const char *name; /* in the page, for a tag Gumbo does not know */
	size_t len;
};

struct depth {
	struct open_el open[LP_HTML_MAX_DEPTH];
	int n;
	size_t over; /* elements left out for their depth, still open */
};

static int
same_el(const struct open_el *e, GumboTag tag, const char *name, size_t len)
{
	size_t i;

	if (e->tag != tag)
		return 0;
	if (tag != GUMBO_TAG_UNKNOWN)
		return 1;
	if (e->len != len)
		return 0;
	for (i = 0; i < len; i++)
		if (tolower((unsigned char)e->name[i]) !=
		    tolower((unsigned char)name[i]))
			return 0;
	return 1;
}

/* A start tag: whether it is handed on (0: too deep, left out). */
static int
depth_open(struct depth *d, GumboTag tag, const char *name, size_t len)
{
	if (kinds[tag] & (K_VOID | K_FREE))
		return 1;
	if (d->over > 0 || d->n == LP_HTML_MAX_DEPTH) {
		d->over++;
		return 0;
	}
	d->open[d->n].tag = tag;
	d->open[d->n].name = name;
	d->open[d->n++].len = len;
	return 1;
}

/* An end tag: whether it is handed on (0: it closes one left out). */
static int
depth_close(struct depth *d, GumboTag tag, const char *name, size_t len)
{
	unsigned char k = kinds[tag], stop;
	int i, j, w;

	if (k & (K_VOID | K_FREE))
		return 1;
	if (d->over > 0) {
		d->over--;
		return 0;
	}
	stop = k & (K_SPECIAL | K_FORMAT) ? K_SCOPE : K_SPECIAL;
	for (i = d->n - 1; i >= 0; i--) {
		if (same_el(&d->open[i], tag, name, len))
			break;
		if (kinds[d->open[i].tag] & stop)
			return 1; /* out of scope: the parser ignores it */
	}
	if (i < 0)
		return 1;
	if (k & K_FORMAT) {
		/* The adoption agency's way: that element alone. */
		memmove(&d->open[i], &d->open[i + 1],
		    (size_t)(d->n - i - 1) * sizeof(*d->open));
		d->n--;
		return 1;
	}
	/* Formatting elements opened after it stay: they may open again. */
	for (j = w = i + 1; j < d->n; j++)
		if (kinds[d->open[j].tag] & K_FORMAT)
			d->open[w++ - 1] = d->open[j];
	d->n = w - 1;
	return 1;
}

/*
 * The start tag at lt, copied (with only the attributes in keep, unless
 * keep is NULL) when it is not too deep; for an element that holds text
 * (<title>), its text too.  Where the copy should go on.
 */
static const char *
open_tag(struct depth *d, const char *lt, const char *end,
    const char *const *keep, struct lp_buf *out)
{
	const char *ne = name_end(lt + 1, end), *q, *close;
	GumboTag tag = gumbo_tagn_enum(lt + 1, (unsigned int)(ne - lt - 1));
	char endtag[16];

	if (!depth_open(d, tag, lt + 1, (size_t)(ne - lt - 1)))
		return tag_end(lt + 1, end);
	if (keep != NULL)
		q = start_tag(lt, end, keep, out);
	else {
		q = tag_end(lt + 1, end);
		lp_buf_add(out, lt, (size_t)(q - lt));
	}
	if (!(kinds[tag] & K_RAW))
		return q;
	snprintf(endtag, sizeof(endtag), "</%s", gumbo_normalized_tagname(tag));
	if (tag == GUMBO_TAG_PLAINTEXT ||
	    (close = find_ci(q, end, endtag)) == NULL)
		close = end;
	lp_buf_add(out, q, (size_t)(close - q));
	return close;
}

/* The end tag at lt, copied unless it closes an element left out. */
static const char *
close_tag(struct depth *d, const char *lt, const char *end, struct lp_buf *out)
{
	const char *ne = name_end(lt + 2, end), *q = tag_end(lt + 2, end);
	GumboTag tag = gumbo_tagn_enum(lt + 2, (unsigned int)(ne - lt - 2));

	if (depth_close(d, tag, lt + 2, (size_t)(ne - lt - 2)))
		lp_buf_add(out, lt, (size_t)(q - lt));
	return q;
}

/*
 * A script, style or drawing at lt (tag its name): copied without its
 * contents (JSON-LD whole, a drawing not at all); where the copy should
 * go on, or NULL when it is not closed and the page is read on as tags
 * (a script or a style not closed is text to the end: copied so).
 */
static const char *
pruned(const char *lt, const char *end, const char *tag, struct lp_buf *out)
{
	const char *gt = memchr(lt, '>', (size_t)(end - lt)), *close;
	char endtag[16];

	snprintf(endtag, sizeof(endtag), "</%s", tag);
	if (gt == NULL || (close = find_ci(gt + 1, end, endtag)) == NULL) {
		if (tag[1] == 'v')
			return NULL;
		lp_buf_add(out, lt, (size_t)(end - lt));
		return end;
	}
	if (tag[1] == 'c' && memmem(lt, (size_t)(gt - lt), "ld+json", 7)) {
		/* Structured data: kept whole. */
		lp_buf_add(out, lt, (size_t)(close - lt));
		return close;
	}
	if (tag[1] == 'v') {
		/* A drawing goes, tags and all. */
		const char *cgt = memchr(close, '>', (size_t)(end - close));

		return cgt != NULL ? cgt + 1 : end;
	}
	/* The start tag, then straight to the end tag. */
	lp_buf_add(out, lt, (size_t)(gt + 1 - lt));
	return close;
}

void
lp_html_prune(
    const char *p, size_t n, const char *const *keep, struct lp_buf *out)
{
	const char *end = p + n, *next;
	struct depth d;

	d.n = 0;
	d.over = 0;
	lp_buf_reset(out);
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p)), *tag;

		if (lt == NULL) {
			lp_buf_add(out, p, (size_t)(end - p));
			break;
		}
		if (end - lt >= 4 && memcmp(lt, "<!--", 4) == 0) {
			/* A comment, whole: what looks like tags in it is not.
			 */
			const char *c =
			    memmem(lt + 4, (size_t)(end - lt - 4), "-->", 3);

			c = c != NULL ? c + 3 : end;
			lp_buf_add(out, p, (size_t)(c - p));
			p = c;
			continue;
		}
		lp_buf_add(out, p, (size_t)(lt - p));
		if ((tag = pruned_tag(lt, (size_t)(end - lt))) != NULL &&
		    (next = pruned(lt, end, tag, out)) != NULL)
			p = next;
		else if (lt + 1 < end && isalpha((unsigned char)lt[1]))
			p = open_tag(&d, lt, end, keep, out);
		else if (lt + 2 < end && lt[1] == '/' &&
		    isalpha((unsigned char)lt[2]))
			p = close_tag(&d, lt, end, out);
		else {
			lp_buf_addc(out, '<');
			p = lt + 1;
		}
	}
}
