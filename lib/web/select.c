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

static int
each(const struct lp_sel *s, const GumboNode *n, int nested,
    void (*fn)(const GumboNode *, void *), void *arg, int first_only)
{
	const GumboVector *kids;
	unsigned int i;

	if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE &&
	    n->type != GUMBO_NODE_DOCUMENT)
		return 0;
	kids = n->type == GUMBO_NODE_DOCUMENT ? &n->v.document.children
					      : &n->v.element.children;
	for (i = 0; i < kids->length; i++) {
		const GumboNode *k = kids->data[i];

		if (k->type != GUMBO_NODE_ELEMENT &&
		    k->type != GUMBO_NODE_TEMPLATE)
			continue;
		if (lp_sel_match(s, k)) {
			fn(k, arg);
			if (first_only)
				return 1;
			if (!nested)
				continue;
		}
		if (each(s, k, nested, fn, arg, first_only) && first_only)
			return 1;
	}
	return 0;
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
		    strncasecmp(p, *keep, n) == 0 && (*keep)[n] == '\0')
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
			    strncmp(*k + 1, v, (size_t)(t - v)) == 0 &&
			    (*k)[t - v + 1] == '\0') {
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
 * Copy the start tag at lt with only the attributes in keep; where the
 * copy should go on.  Attribute syntax as HTML's tokenizer reads it:
 * names end at space, '/', '=' or '>'; values are quoted or end at space
 * or '>'.
 */
static const char *
start_tag(const char *lt, const char *end, const char *const *keep,
    struct lp_buf *out)
{
	const char *q = lt + 1;

	while (q < end && !isspace((unsigned char)*q) && *q != '>' && *q != '/')
		q++;
	lp_buf_add(out, lt, (size_t)(q - lt));
	for (;;) {
		const char *name, *vend;
		size_t nlen;

		while (q < end && (isspace((unsigned char)*q) || *q == '/'))
			q++;
		if (q >= end)
			return end;
		if (*q == '>') {
			lp_buf_addc(out, '>');
			return q + 1;
		}
		name = q;
		while (q < end && !isspace((unsigned char)*q) && *q != '>' &&
		    *q != '/' && (*q != '=' || q == name))
			q++;
		nlen = (size_t)(q - name);
		vend = q;
		while (vend < end && isspace((unsigned char)*vend))
			vend++;
		if (vend < end && *vend == '=') {
			vend++;
			while (vend < end && isspace((unsigned char)*vend))
				vend++;
			if (vend < end && (*vend == '"' || *vend == '\'')) {
				const char *cq = memchr(
				    vend + 1, *vend, (size_t)(end - vend - 1));

				vend = cq != NULL ? cq + 1 : end;
			} else
				while (vend < end &&
				    !isspace((unsigned char)*vend) &&
				    *vend != '>')
					vend++;
			q = vend;
		}
		if (!kept(name, nlen, keep))
			continue;
		if (nlen == 5 && strncasecmp(name, "class", 5) == 0 &&
		    keep_classes(name, q, keep, out))
			continue;
		lp_buf_addc(out, ' ');
		lp_buf_add(out, name, (size_t)(q - name));
	}
}

void
lp_html_prune(
    const char *p, size_t n, const char *const *keep, struct lp_buf *out)
{
	const char *end = p + n;

	lp_buf_reset(out);
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p)), *gt, *close;
		const char *tag;
		char endtag[16];

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
		if ((tag = pruned_tag(lt, (size_t)(end - lt))) == NULL) {
			lp_buf_add(out, p, (size_t)(lt - p));
			p = keep != NULL && lt + 1 < end &&
				isalpha((unsigned char)lt[1])
			    ? start_tag(lt, end, keep, out)
			    : (lp_buf_addc(out, '<'), lt + 1);
			continue;
		}
		snprintf(endtag, sizeof(endtag), "</%s", tag);
		if ((gt = memchr(lt, '>', (size_t)(end - lt))) == NULL ||
		    (close = find_ci(gt + 1, end, endtag)) == NULL) {
			lp_buf_add(out, p, (size_t)(end - p));
			break;
		}
		if (tag[1] == 'c' &&
		    memmem(lt, (size_t)(gt - lt), "ld+json", 7)) {
			/* Structured data: kept whole. */
			lp_buf_add(out, p, (size_t)(close - p));
			p = close;
			continue;
		}
		if (tag[1] == 'v') {
			/* A drawing goes, tags and all. */
			const char *cgt =
			    memchr(close, '>', (size_t)(end - close));

			lp_buf_add(out, p, (size_t)(lt - p));
			p = cgt != NULL ? cgt + 1 : end;
			continue;
		}
		/* The start tag, then straight to the end tag. */
		lp_buf_add(out, p, (size_t)(gt + 1 - p));
		p = close;
	}
}
