#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "text/guard.h"
#include "text/units.h"

/*
 * The brands the guards know are the rules' brand lines of one word
 * (lib/data/brands.txt, "brand NAME", and a --fluff file's): the same
 * list that cases a title's display form.  A brand outside it is still
 * guarded through the model's brand field (it must be in the input).
 */
static int
one_word_brand(const struct lp_name *m)
{
	return m->brand && m->first == m->len;
}

/* Letters run into a number that are not a unit but not doubtful. */
static const char *const suffixes[] = {"st", "nd", "rd", "th", "g", "k", "p",
    "x", "pcs", "pc", "pk", "hz", "fps", "mph", "yr", "yrs"};

static const char *const names[LP_GUARD_NVERDICTS] = {"ok", "number",
    "invented", "model", "brand", "edits", "attribute", "malformed"};

/* A word of a title: alphanumeric bytes (and any non-ASCII byte). */
struct word {
	const char *p;
	size_t n;
};

struct words {
	struct word *v;
	size_t n, cap;
};

static int
wordbyte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/*
 * The words of s: runs of word bytes, joined by one '-', '.' or '/'
 * between two of them ("sm-g991b", "15.6").
 */
static void
split(const char *s, struct words *w)
{
	size_t i = 0, n = strlen(s), start;

	w->n = 0;
	while (i < n) {
		while (i < n && !wordbyte((unsigned char)s[i]))
			i++;
		if (i == n)
			break;
		start = i;
		while (i < n &&
		    (wordbyte((unsigned char)s[i]) ||
			(strchr("-./", s[i]) != NULL && i + 1 < n &&
			    wordbyte((unsigned char)s[i + 1]) &&
			    wordbyte((unsigned char)s[i - 1]))))
			i++;
		if (w->n == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 32;
			w->v = lp_xrealloc(w->v, w->cap * sizeof(*w->v));
		}
		w->v[w->n].p = s + start;
		w->v[w->n++].n = i - start;
	}
}

static int
same_word(const struct word *a, const char *b, size_t n)
{
	size_t i;

	if (a->n != n)
		return 0;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)a->p[i]) !=
		    tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

static int
has_word(const struct words *w, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (same_word(&w->v[i], s, n))
			return 1;
	return 0;
}

/* Edit distance of a and b without regard to case, or 3 if more. */
static int
distance(const char *a, size_t an, const char *b, size_t bn)
{
	int d[64], prev, i, j;

	if (an > 62 || bn > 62 || (an > bn ? an - bn : bn - an) > 2)
		return 3;
	for (j = 0; j <= (int)bn; j++)
		d[j] = j;
	for (i = 1; i <= (int)an; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= (int)bn; j++) {
			int up = d[j],
			    sub = prev +
			    (tolower((unsigned char)a[i - 1]) !=
				tolower((unsigned char)b[j - 1]));

			d[j] = sub;
			if (up + 1 < d[j])
				d[j] = up + 1;
			if (d[j - 1] + 1 < d[j])
				d[j] = d[j - 1] + 1;
			prev = up;
		}
	}
	return d[bn];
}

/* 1 if w is a typo of the brand b (see the header), not b itself. */
static int
typo_of(const char *w, size_t n, const char *b, size_t bn)
{
	int dist;

	if (n < 4 || bn < 4 ||
	    tolower((unsigned char)*w) != tolower((unsigned char)*b))
		return 0;
	dist = distance(w, n, b, bn);
	return dist > 0 && dist <= (bn >= 6 ? 2 : 1);
}

int
lp_guard_is_brand(const struct lp_rules *r, const char *w, size_t n)
{
	size_t i;
	struct word x = {w, n};

	for (i = 0; i < r->nnames; i++)
		if (one_word_brand(&r->names[i]) &&
		    same_word(&x, r->names[i].form, r->names[i].len))
			return 1;
	return 0;
}

const char *
lp_guard_name(enum lp_guard_verdict v)
{
	return v < LP_GUARD_NVERDICTS ? names[v] : "?";
}

/* 1 if w is a number run into letters that are not a unit: "3mtr". */
static int
stray_unit(const struct word *w)
{
	size_t i = 0, k;

	while (i < w->n && (isdigit((unsigned char)w->p[i]) || w->p[i] == '.'))
		i++;
	/* One letter is a model's ("250d") more often than a unit's. */
	if (i == 0 || w->n - i < 2)
		return 0;
	for (k = i; k < w->n; k++)
		if (!isalpha((unsigned char)w->p[k]))
			return 0;
	for (k = 0; k < sizeof(suffixes) / sizeof(suffixes[0]); k++) {
		struct word tail = {w->p + i, w->n - i};

		if (same_word(&tail, suffixes[k], strlen(suffixes[k])))
			return 0;
	}
	return 1;
}

unsigned
lp_guard_doubts(const struct lp_rules *r, const char *s, size_t n)
{
	struct words w = {0};
	unsigned doubts = 0;
	char *t = lp_xmalloc(n + 1);
	size_t i, b;

	memcpy(t, s, n);
	t[n] = '\0';
	split(t, &w);
	for (i = 0; i < w.n; i++) {
		if (stray_unit(&w.v[i]))
			doubts |= LP_DOUBT_UNIT;
		if (lp_guard_is_brand(r, w.v[i].p, w.v[i].n))
			continue;
		for (b = 0; b < r->nnames; b++)
			if (one_word_brand(&r->names[b]) &&
			    typo_of(w.v[i].p, w.v[i].n, r->names[b].form,
				r->names[b].len))
				doubts |= LP_DOUBT_TYPO;
	}
	free(w.v);
	free(t);
	return doubts;
}

/* ---- The number guards. */

/* A number of a title, and the quantity it is part of, if any. */
struct number {
	double value;
	char key[32]; /* the unit rules' attribute, or "" */
	double qty;   /* its value in base units */
	int used;
};

struct numbers {
	struct number v[64];
	size_t n;
};

/* 1 if w is a number alone ("128", "15.6"). */
static int
is_number(const struct word *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (!isdigit((unsigned char)w->p[i]) && w->p[i] != '.')
			return 0;
	return 1;
}

/* The quantity "number unit" that words i, i + 1 make, if they do. */
static void
quantity(const struct words *w, size_t i, struct number *num)
{
	struct lp_buf b = LP_BUF_INIT, out = LP_BUF_INIT;
	json_t *attrs;
	const char *k;
	json_t *v;

	if (i + 1 >= w->n || !is_number(&w->v[i]))
		return;
	attrs = json_object();
	lp_buf_add(&b, w->v[i].p, w->v[i].n);
	lp_buf_addc(&b, ' ');
	lp_buf_add(&b, w->v[i + 1].p, w->v[i + 1].n);
	if (lp_units_apply(b.p, b.len, &out, attrs) == 1 &&
	    json_object_size(attrs) == 1)
		json_object_foreach (attrs, k, v)
			if (json_is_number(v)) {
				snprintf(num->key, sizeof(num->key), "%s", k);
				num->qty = json_number_value(v);
			}
	json_decref(attrs);
	lp_buf_release(&b);
	lp_buf_release(&out);
}

/* Every number in every word of s ("a1234" has 1234). */
static void
numbers_of(const char *s, struct numbers *ns)
{
	struct words w = {0};
	size_t i, k;

	ns->n = 0;
	split(s, &w);
	for (i = 0; i < w.n; i++)
		for (k = 0; k < w.v[i].n && ns->n < 64;) {
			const char *p = w.v[i].p + k;
			char *end;
			struct number *num;

			if (!isdigit((unsigned char)*p)) {
				k++;
				continue;
			}
			num = &ns->v[ns->n++];
			memset(num, 0, sizeof(*num));
			num->value = strtod(p, &end);
			k += (size_t)(end - p);
			if (k == w.v[i].n && end - p == (long)w.v[i].n)
				quantity(&w, i, num);
		}
	free(w.v);
}

static int
close_to(double a, double b)
{
	return fabs(a - b) <= 1e-6 * fmax(fabs(a), fabs(b));
}

/* A number of in matched in out: by value, or as the same quantity. */
static int
match(const struct number *a, struct numbers *out)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (!out->v[i].used && close_to(a->value, out->v[i].value)) {
			out->v[i].used = 1;
			return 1;
		}
	for (i = 0; *a->key && i < out->n; i++)
		if (!out->v[i].used && strcmp(a->key, out->v[i].key) == 0 &&
		    close_to(a->qty, out->v[i].qty)) {
			out->v[i].used = 1;
			return 1;
		}
	return 0;
}

static enum lp_guard_verdict
check_numbers(const struct lp_guard_input *in, char *why, size_t size)
{
	struct numbers *a = lp_xmalloc(sizeof(*a)), *b = lp_xmalloc(sizeof(*b));
	enum lp_guard_verdict v = LP_GUARD_OK;
	size_t i;

	numbers_of(in->rules, a);
	numbers_of(in->title, b);
	for (i = 0; i < a->n && v == LP_GUARD_OK; i++)
		if (!match(&a->v[i], b)) {
			snprintf(why, size, "dropped number %g", a->v[i].value);
			v = LP_GUARD_NUMBER;
		}
	for (i = 0; i < b->n && v == LP_GUARD_OK; i++)
		if (!b->v[i].used) {
			snprintf(
			    why, size, "invented number %g", b->v[i].value);
			v = LP_GUARD_INVENTED;
		}
	free(a);
	free(b);
	return v;
}

/* ---- Model codes, brands, edits, attributes. */

/* A word with letters and digits, not a number followed by letters. */
static int
model_code(const struct word *w)
{
	size_t i = 0, k;
	int alpha = 0, digit = 0;

	for (k = 0; k < w->n; k++) {
		alpha |= isalpha((unsigned char)w->p[k]) != 0;
		digit |= isdigit((unsigned char)w->p[k]) != 0;
	}
	if (!alpha || !digit)
		return 0;
	while (i < w->n && (isdigit((unsigned char)w->p[i]) || w->p[i] == '.'))
		i++;
	for (k = i; k < w->n && isalpha((unsigned char)w->p[k]); k++)
		;
	return i == 0 || k < w->n;
}

static enum lp_guard_verdict
check_models(const struct words *rules, const struct words *title, char *why,
    size_t size)
{
	size_t i;

	for (i = 0; i < rules->n; i++)
		if (model_code(&rules->v[i]) &&
		    !has_word(title, rules->v[i].p, rules->v[i].n)) {
			snprintf(why, size, "dropped model code %.*s",
			    (int)rules->v[i].n, rules->v[i].p);
			return LP_GUARD_MODEL;
		}
	return LP_GUARD_OK;
}

/* 1 if w is in ws or a typo of a word there (as for doubts). */
static int
near_word(const struct words *ws, const char *w, size_t n)
{
	size_t i;

	if (has_word(ws, w, n))
		return 1;
	for (i = 0; i < ws->n; i++)
		if (typo_of(ws->v[i].p, ws->v[i].n, w, n))
			return 1;
	return 0;
}

/* The first known brand in ws, for the message. */
static void
brand_in(
    const struct lp_rules *r, const struct words *ws, char *out, size_t size)
{
	size_t i;

	*out = '\0';
	for (i = 0; i < ws->n; i++)
		if (lp_guard_is_brand(r, ws->v[i].p, ws->v[i].n)) {
			snprintf(
			    out, size, "%.*s", (int)ws->v[i].n, ws->v[i].p);
			return;
		}
}

/* Every word of the brand name s (or every brand in title) is in input. */
static enum lp_guard_verdict
check_brand(const struct lp_rules *r, const struct words *input, const char *s,
    int known_only, char *why, size_t size)
{
	struct words w = {0};
	char had[64];
	size_t i;
	enum lp_guard_verdict v = LP_GUARD_OK;

	split(s, &w);
	for (i = 0; i < w.n && v == LP_GUARD_OK; i++) {
		if (known_only && !lp_guard_is_brand(r, w.v[i].p, w.v[i].n))
			continue;
		if (near_word(input, w.v[i].p, w.v[i].n))
			continue;
		brand_in(r, input, had, sizeof(had));
		if (*had)
			snprintf(why, size, "brand %s changed to %.*s", had,
			    (int)w.v[i].n, w.v[i].p);
		else
			snprintf(why, size, "brand %.*s not in the input",
			    (int)w.v[i].n, w.v[i].p);
		v = LP_GUARD_BRAND;
	}
	free(w.v);
	return v;
}

static enum lp_guard_verdict
check_edits(const struct lp_guard_input *in, const struct words *input,
    const struct words *title, char *why, size_t size)
{
	size_t i, fresh = 0, edits;

	for (i = 0; i < title->n; i++)
		if (!has_word(input, title->v[i].p, title->v[i].n))
			fresh++;
	edits = fresh > in->nedits ? fresh : in->nedits;
	if (edits <= (size_t)in->max_edits)
		return LP_GUARD_OK;
	snprintf(why, size, "%zu edits, more than %d", edits, in->max_edits);
	return LP_GUARD_EDITS;
}

/* Two attribute values the same (numbers closely, text in any case). */
static int
agree(const json_t *a, const json_t *b)
{
	const char *s = json_string_value(a), *t = json_string_value(b);
	size_t i;

	if (json_is_number(a) && json_is_number(b))
		return close_to(json_number_value(a), json_number_value(b));
	if (s == NULL || t == NULL || strlen(s) != strlen(t))
		return 0;
	for (i = 0; s[i]; i++)
		if (tolower((unsigned char)s[i]) !=
		    tolower((unsigned char)t[i]))
			return 0;
	return 1;
}

static enum lp_guard_verdict
check_attributes(const struct lp_guard_input *in, char *why, size_t size)
{
	const char *k;
	json_t *v, *r;
	char *a, *b;

	json_object_foreach ((json_t *)in->attributes, k, v) {
		if (json_is_null(v) ||
		    (r = json_object_get(in->attrs, k)) == NULL || agree(r, v))
			continue;
		a = json_dumps(r, JSON_ENCODE_ANY | JSON_COMPACT);
		b = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		snprintf(why, size,
		    "attribute %s: %s by the rules, %s by the "
		    "model",
		    k, a ? a : "?", b ? b : "?");
		free(a);
		free(b);
		return LP_GUARD_ATTRIBUTE;
	}
	if (in->condition != NULL && in->mcondition != NULL &&
	    strcmp(in->condition, in->mcondition) != 0) {
		snprintf(why, size,
		    "condition: %s by the rules, %s by the model",
		    in->condition, in->mcondition);
		return LP_GUARD_ATTRIBUTE;
	}
	return LP_GUARD_OK;
}

enum lp_guard_verdict
lp_guard_check(const struct lp_guard_input *in, char *why, size_t size)
{
	struct words rules = {0}, title = {0}, input = {0}, src = {0};
	enum lp_guard_verdict v;
	size_t i;

	*why = '\0';
	split(in->rules, &rules);
	split(in->title, &title);
	split(in->source, &src);
	/* The input's words: the rules' and the source's. */
	split(in->rules, &input);
	for (i = 0; i < src.n; i++) {
		if (input.n == input.cap) {
			input.cap = input.cap ? 2 * input.cap : 32;
			input.v =
			    lp_xrealloc(input.v, input.cap * sizeof(*input.v));
		}
		input.v[input.n++] = src.v[i];
	}
	if ((v = check_numbers(in, why, size)) == LP_GUARD_OK &&
	    (v = check_models(&rules, &title, why, size)) == LP_GUARD_OK &&
	    (in->brand == NULL ||
		(v = check_brand(in->names, &input, in->brand, 0, why, size)) ==
		    LP_GUARD_OK) &&
	    (v = check_brand(in->names, &input, in->title, 1, why, size)) ==
		LP_GUARD_OK &&
	    (v = check_edits(in, &input, &title, why, size)) == LP_GUARD_OK)
		v = check_attributes(in, why, size);
	free(rules.v);
	free(title.v);
	free(src.v);
	free(input.v);
	return v;
}
