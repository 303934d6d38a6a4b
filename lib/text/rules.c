#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/status.h"
#include "text/rules.h"
#include "core/data.h"

#include <utf8proc.h>

/*
 * Byte classes for the casing passes, which look at every byte of every
 * title: digit, capital, small letter (ASCII), word byte (an ASCII letter
 * or digit, or any byte of a UTF-8 sequence) and UTF-8 byte.
 */
enum { C_DIGIT = 1, C_UP = 2, C_LOW = 4, C_WORD = 8, C_HIGH = 16 };
static const unsigned char cls[256] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0, 0, 0, 0, 0, 0,
    0, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 0, 0, 0, 0, 0, 0, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 0, 0, 0, 0, 0, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24,
    24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24,
    24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24,
    24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24,
    24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24,
    24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24,
    24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24};

static int
word_char(int c)
{
	return isalnum(c) || c >= 0x80;
}

static char *
dup_n(const char *s, size_t n)
{
	char *p = lp_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/*
 * The words of a condition, lower case, one space apart, in key (of
 * LP_COND_KEY bytes): punctuation and dashes of every kind only part
 * words, so "Opened – never used", "Opened - never used" and "opened never
 * used" are one key, as are "New (other)" and "New other".  A text too
 * long for a condition gets an empty key.
 */
static void
cond_key(const char *s, size_t n, char *key)
{
	size_t i, k = 0;
	int gap = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		/* U+2010-U+201F (dashes, quotation marks) part words. */
		if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] & 0xf0) == 0x90) {
			i += 2;
			gap = 1;
			continue;
		}
		if (!isalnum(c) && c < 0x80) {
			gap = 1;
			continue;
		}
		if (k + 3 > LP_COND_KEY) {
			key[0] = '\0';
			return;
		}
		if (gap && k > 0)
			key[k++] = ' ';
		gap = 0;
		key[k++] = (char)tolower(c);
	}
	key[k] = '\0';
}

/* Longer phrases first, so "FREE P&P" wins over a shorter rule. */
static int
by_length(const void *a, const void *b)
{
	const struct lp_rule *x = a, *y = b;

	return (x->len < y->len) - (x->len > y->len);
}

/* c in small letters (ASCII). */
static unsigned
lower(unsigned char c)
{
	return cls[c] & C_UP ? c | 0x20u : c;
}

/* A hash of the word s[0..n) without regard to ASCII case. */
static unsigned
word_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ lower((unsigned char)s[i])) * 16777619u;
	return h;
}

/* Names by first word, then longest first: the longest match wins. */
static int
by_first_word(const void *a, const void *b)
{
	const struct lp_name *x = a, *y = b;
	size_t m = x->first < y->first ? x->first : y->first;
	int d = strncasecmp(x->form, y->form, m);

	if (d != 0)
		return d;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return (x->len < y->len) - (x->len > y->len);
}

/* The names sorted and their first words in the hash table. */
static void
index_names(struct lp_rules *r)
{
	size_t i, k;

	if (r->nnames == 0)
		return;
	qsort(r->names, r->nnames, sizeof(*r->names), by_first_word);
	for (i = 0; i < r->nnames; i++)
		r->names[i].hash =
		    word_hash(r->names[i].form, r->names[i].first);
	/* A sparse table: most words of a title are no name, found so. */
	for (r->nslots = 64; r->nslots < 8 * r->nnames; r->nslots *= 2)
		;
	free(r->slots);
	r->slots = lp_xmalloc(r->nslots * sizeof(*r->slots));
	memset(r->slots, 0, r->nslots * sizeof(*r->slots));
	for (i = 0; i < r->nnames; i++) {
		const struct lp_name *m = &r->names[i];

		if (i > 0 && m->first == m[-1].first &&
		    strncasecmp(m->form, m[-1].form, m->first) == 0)
			continue; /* its word is in the table already */
		k = m->hash & (r->nslots - 1);
		while (r->slots[k] != 0)
			k = (k + 1) & (r->nslots - 1);
		r->slots[k] = i + 1;
	}
}

/* "remove PHRASE" or "expand PHRASE MEANING" (at arg, len bytes). */
static int
add_phrase(struct lp_rules *r, int expand, const char *arg, size_t len,
    const char *name, int lineno, struct lp_error *err)
{
	const char *sp = memchr(arg, ' ', len);
	struct lp_rule *u;

	if (expand && sp == NULL)
		return lp_error_set(
		    err, "%s:%d: expand needs a meaning", name, lineno);
	r->v = lp_xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	u = &r->v[r->n++];
	memset(u, 0, sizeof(*u));
	if (!expand) {
		u->kind = LP_RULE_REMOVE;
		u->phrase = dup_n(arg, u->len = len);
	} else {
		u->kind = LP_RULE_EXPAND;
		u->phrase = dup_n(arg, u->len = (size_t)(sp - arg));
		u->with = dup_n(sp + 1, u->wlen = len - u->len - 1);
	}
	r->first[tolower((unsigned char)u->phrase[0])] = 1;
	r->first[toupper((unsigned char)u->phrase[0])] = 1;
	return LP_OK;
}

/* "brand NAME" or "name NAME": a name of the list, in its own case. */
static int
add_name(struct lp_rules *r, int brand, const char *arg, size_t len,
    const char *name, int lineno, struct lp_error *err)
{
	struct lp_name *m;
	size_t first;

	for (first = 0; first < len && word_char((unsigned char)arg[first]);
	     first++)
		;
	if (first == 0)
		return lp_error_set(err,
		    "%s:%d: a name starts with a letter or digit", name,
		    lineno);
	r->names = lp_xrealloc(r->names, (r->nnames + 1) * sizeof(*r->names));
	m = &r->names[r->nnames++];
	m->form = dup_n(arg, m->len = len);
	m->first = first;
	m->brand = brand;
	return LP_OK;
}

/* "runs CHARS": characters whose runs are squeezed. */
static int
add_runs(struct lp_rules *r, const char *arg, size_t len, const char *name,
    int lineno, struct lp_error *err)
{
	size_t have = strlen(r->runs), q;

	if (have + len >= sizeof(r->runs))
		return lp_error_set(
		    err, "%s:%d: too many run characters", name, lineno);
	memcpy(r->runs + have, arg, len);
	r->runs[have + len] = '\0';
	/* A run may start at these bytes too. */
	for (q = 0; q < len; q++) {
		r->first[(unsigned char)arg[q]] = 1;
		r->isrun[(unsigned char)arg[q]] = arg[q] != '\0';
	}
	return LP_OK;
}

/* "condition VALUE WORDS": words that name a value of the vocabulary. */
static int
add_condition(struct lp_rules *r, const char *arg, size_t len, const char *name,
    int lineno, struct lp_error *err)
{
	const char *sp = memchr(arg, ' ', len);
	struct lp_condition *c;

	if (sp == NULL)
		return lp_error_set(err,
		    "%s:%d: condition needs a value and words", name, lineno);
	r->cond = lp_xrealloc(r->cond, (r->ncond + 1) * sizeof(*r->cond));
	c = &r->cond[r->ncond++];
	c->value = dup_n(arg, (size_t)(sp - arg));
	c->words = dup_n(sp + 1, len - (size_t)(sp - arg) - 1);
	cond_key(c->words, strlen(c->words), c->key);
	cond_key(c->value, strlen(c->value), c->vkey);
	return LP_OK;
}

/* One rule: keyword p[0..klen), its value arg[0..len). */
static int
load_rule(struct lp_rules *r, const char *p, size_t klen, const char *arg,
    size_t len, const char *name, int lineno, struct lp_error *err)
{
#define IS(word) (klen == sizeof(word) - 1 && strncmp(p, word, klen) == 0)
	if (IS("version")) {
		free(r->version);
		r->version = dup_n(arg, len);
		return LP_OK;
	}
	if (IS("remove") || IS("expand"))
		return add_phrase(r, p[0] == 'e', arg, len, name, lineno, err);
	if (IS("brand") || IS("name"))
		return add_name(r, p[0] == 'b', arg, len, name, lineno, err);
	if (IS("runs"))
		return add_runs(r, arg, len, name, lineno, err);
	if (IS("condition"))
		return add_condition(r, arg, len, name, lineno, err);
#undef IS
	return lp_error_set(
	    err, "%s:%d: unknown rule '%.*s'", name, lineno, (int)klen, p);
}

/* r->byfirst and r->at from the rules as they now stand. */
static void
index_first(struct lp_rules *r)
{
	size_t k, c;

	memset(r->at, 0, sizeof(r->at));
	for (k = 0; k < r->n; k++)
		r->at[tolower((unsigned char)r->v[k].phrase[0]) + 1]++;
	for (c = 1; c < 257; c++)
		r->at[c] += r->at[c - 1];
	free(r->byfirst);
	r->byfirst = lp_xmalloc(sizeof(*r->byfirst) * (r->n + 1));
	for (k = 0; k < r->n; k++) {
		c = (size_t)tolower((unsigned char)r->v[k].phrase[0]);
		/* at[c] walks up as its rules are placed, then is put back. */
		r->byfirst[r->at[c]++] = k;
	}
	for (c = 256; c > 0; c--)
		r->at[c] = r->at[c - 1];
	r->at[0] = 0;
}

int
lp_rules_load(struct lp_rules *r, const char *text, size_t n, const char *name,
    struct lp_error *err)
{
	const char *p = text, *end = text + n;
	int lineno = 0;

	for (; p < end; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl != NULL ? nl : end, *arg;
		size_t len, klen;

		while (p < e && isspace((unsigned char)*p))
			p++;
		len = (size_t)(e - p);
		while (len > 0 && isspace((unsigned char)p[len - 1]))
			len--;
		if (len > 0 && *p != '#') {
			for (klen = 0; klen < len && p[klen] != ' '; klen++)
				;
			for (arg = p + klen; arg < p + len && *arg == ' ';
			     arg++)
				;
			if (arg == p + len)
				return lp_error_set(err,
				    "%s:%d: '%.*s' needs a value", name,
				    lineno + 1, (int)klen, p);
			if (load_rule(r, p, klen, arg, len - (size_t)(arg - p),
				name, lineno + 1, err) != LP_OK)
				return LP_FAILED;
		}
		p = e + 1;
	}
	if (r->n > 1)
		qsort(r->v, r->n, sizeof(*r->v), by_length);
	index_first(r);
	index_names(r);
	return LP_OK;
}

void
lp_rules_default(struct lp_rules *r)
{
	memset(r, 0, sizeof(*r));
	/* The built-in lists are tested. */
	if (lp_rules_load(r, (const char *)lp_data_clean_rules,
		lp_data_clean_rules_len, "clean-rules.txt", NULL) != LP_OK ||
	    lp_rules_load(r, (const char *)lp_data_brands, lp_data_brands_len,
		"brands.txt", NULL) != LP_OK)
		abort();
}

/* The rule whose phrase is at s[i] with word boundaries, or NULL. */
static struct lp_rule *
match(struct lp_rules *r, const char *s, size_t n, size_t i)
{
	size_t c = (size_t)tolower((unsigned char)s[i]), k;

	for (k = r->at[c]; k < r->at[c + 1]; k++) {
		struct lp_rule *u = &r->v[r->byfirst[k]];

		if (u->len > n - i ||
		    strncasecmp(s + i, u->phrase, u->len) != 0)
			continue;
		if (word_char((unsigned char)u->phrase[0]) && i > 0 &&
		    word_char((unsigned char)s[i - 1]))
			continue;
		if (word_char((unsigned char)u->phrase[u->len - 1]) &&
		    i + u->len < n && word_char((unsigned char)s[i + u->len]))
			continue;
		return u;
	}
	return NULL;
}

size_t
lp_rules_apply(struct lp_rules *r, const char *s, size_t n, struct lp_buf *out)
{
	size_t i = 0, changes = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		struct lp_rule *u;

		/* Mid-word no phrase can start: most bytes skip the rules. */
		if (r->first[c] &&
		    !(i > 0 && word_char(c) &&
			word_char((unsigned char)s[i - 1])) &&
		    (u = match(r, s, n, i)) != NULL) {
			u->hits++;
			changes++;
			/* A space keeps the words on each side apart. */
			lp_buf_addc(out, ' ');
			if (u->kind == LP_RULE_EXPAND) {
				lp_buf_add(out, u->with, u->wlen);
				lp_buf_addc(out, ' ');
			}
			i += u->len;
			continue;
		}
		/* A lone one between spaces is left over from fluff too. */
		if (r->isrun[c] &&
		    ((i + 1 < n && r->isrun[(unsigned char)s[i + 1]]) ||
			((out->len == 0 || out->p[out->len - 1] == ' ') &&
			    (i + 1 == n || s[i + 1] == ' ')))) {
			while (i < n && r->isrun[(unsigned char)s[i]])
				i++;
			r->run_hits++;
			changes++;
			lp_buf_addc(out, ' ');
			continue;
		}
		/* Copy up to the next byte where a rule could start. */
		{
			size_t j = i + 1;

			while (j < n && !r->first[(unsigned char)s[j]])
				j++;
			lp_buf_add(out, s + i, j - i);
			i = j;
		}
	}
	if (out->p != NULL)
		out->p[out->len] = '\0';
	return changes;
}

const char *
lp_rules_condition(const struct lp_rules *r, const char *s, size_t n)
{
	char key[LP_COND_KEY];
	size_t i;

	cond_key(s, n, key);
	if (key[0] == '\0')
		return NULL;
	for (i = 0; i < r->ncond; i++)
		if (strcmp(r->cond[i].key, key) == 0)
			return r->cond[i].value;
	/* A value itself maps to itself: cleaning twice changes nothing. */
	for (i = 0; i < r->ncond; i++)
		if (strcmp(r->cond[i].vkey, key) == 0)
			return r->cond[i].value;
	return NULL;
}

/*
 * The name written at s[0..n) (its first word w bytes long, of hash h),
 * or NULL.
 */
static const struct lp_name *
name_at(const struct lp_rules *r, const char *s, size_t n, size_t w, unsigned h)
{
	size_t k, i;

	if (r->nslots == 0)
		return NULL;
	for (k = h & (r->nslots - 1); r->slots[k] != 0;
	     k = (k + 1) & (r->nslots - 1)) {
		i = r->slots[k] - 1;
		if (r->names[i].hash == h && r->names[i].first == w &&
		    strncasecmp(r->names[i].form, s, w) == 0)
			break;
	}
	if (r->slots[k] == 0)
		return NULL;
	for (; i < r->nnames && r->names[i].first == w &&
	     strncasecmp(r->names[i].form, s, w) == 0;
	     i++) {
		const struct lp_name *m = &r->names[i];

		if (m->len <= n && strncasecmp(m->form, s, m->len) == 0 &&
		    !(word_char((unsigned char)m->form[m->len - 1]) &&
			m->len < n && word_char((unsigned char)s[m->len])))
			return m;
	}
	return NULL;
}

/*
 * A word of letters and digits, s[0..n) with d digits, written in lower
 * case: upper case ("sm", "g991b" -> "SM", "G991B"), but for a number and
 * its suffix ("12ct", "5th", "1080p", "7200rpm"), one letter and its
 * number ("i7", "x5") and the x of a size ("2x8").  A word with a capital
 * in it is as the seller wrote it ("48Gbps", "Cat6").
 */
static void
case_code(const char *s, size_t n, size_t d, struct lp_buf *out)
{
	size_t i = 0;

	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	if ((i > 0 && i + (n - d) == n && !isdigit((unsigned char)s[n - 1])) ||
	    (i == 0 && d == n - 1)) {
		lp_buf_add(out, s, n);
		return;
	}
	for (i = 0; i < n; i++)
		if (s[i] == 'x' && i > 0 && i + 1 < n &&
		    isdigit((unsigned char)s[i - 1]) &&
		    isdigit((unsigned char)s[i + 1]))
			lp_buf_addc(out, 'x');
		else
			lp_buf_addc(out, (char)toupper((unsigned char)s[i]));
}

/*
 * A word of letters in a shouted title, s[0..n): all capitals (two
 * letters or more) lower case after its first letter ("CHARIZARD",
 * "ROCKET'S"); else as written.
 */
static void
case_word(const char *s, size_t n, struct lp_buf *out)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k;
	size_t i, letters = 0;

	/* ASCII, the usual case, without decoding. */
	for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
		if (islower((unsigned char)s[i])) {
			lp_buf_add(out, s, n);
			return;
		} else
			letters += isupper((unsigned char)s[i]) != 0;
	if (i == n) {
		if (letters < 2) {
			lp_buf_add(out, s, n);
			return;
		}
		lp_buf_addc(out, s[0]);
		for (i = 1; i < n; i++)
			lp_buf_addc(out, (char)tolower((unsigned char)s[i]));
		return;
	}
	letters = 0;
	for (i = 0; i < n; i += (size_t)k) {
		k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(n - i), &c);
		if (k <= 0)
			break;
		if (utf8proc_category(c) == UTF8PROC_CATEGORY_LL)
			break; /* a lower-case letter: as written */
		letters += utf8proc_category(c) == UTF8PROC_CATEGORY_LU;
	}
	if (i < n || letters < 2) {
		lp_buf_add(out, s, n);
		return;
	}
	for (i = 0; i < n; i += (size_t)k) {
		utf8proc_uint8_t u[4];

		k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(n - i), &c);
		/*
		 * Only a letter whose small form goes back to it: "İ" stays,
		 * so folding the word still gives what folding it gave.
		 */
		if (i > 0 && utf8proc_toupper(utf8proc_tolower(c)) == c)
			c = utf8proc_tolower(c);
		lp_buf_add(out, u, (size_t)utf8proc_encode_char(c, u));
	}
}

/* 1 if s[0..n) (after a word) is "-" and a word with a digit: a code. */
static int
code_follows(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || s[0] != '-')
		return 0;
	for (i = 1; i < n && isalnum((unsigned char)s[i]); i++)
		if (isdigit((unsigned char)s[i]))
			return 1;
	return 0;
}

/*
 * The word at s[0..n): its length, its hash (word_hash()) and the OR of
 * its bytes' classes into *k; *d digits and *up capitals.
 */
static size_t
word_at(
    const char *s, size_t n, unsigned *h, unsigned *k, size_t *d, size_t *up)
{
	uint32_t x = 2166136261u;
	unsigned c, or = 0;
	size_t j;

	*d = *up = 0;
	for (j = 0; j < n && (cls[c = (unsigned char)s[j]] & C_WORD); j++) {
		or |= cls[c];
		*d += cls[c] & C_DIGIT;
		*up += (cls[c] & C_UP) >> 1;
		x = (x ^ lower((unsigned char)c)) * 16777619u;
	}
	*h = x;
	*k = or ;
	return j;
}

int
lp_rules_shouting(const struct lp_rules *r, const char *s, size_t n)
{
	size_t i = 0, j, caps = 0, other = 0, d, up;
	unsigned h, k;

	/* Words that may shout (no hashing), then names if they may. */
	for (i = 0; i < n;) {
		for (k = 0, up = 0;
		     i < n && (cls[(unsigned char)s[i]] & C_WORD); i++) {
			k |= cls[(unsigned char)s[i]];
			up += (cls[(unsigned char)s[i]] & C_UP) >> 1;
		}
		if (k & C_DIGIT)
			;
		else if (k & C_LOW)
			other++;
		else if (up >= 3)
			caps++;
		while (i < n && !(cls[(unsigned char)s[i]] & C_WORD))
			i++;
	}
	if (caps <= other)
		return 0;
	/* Names say nothing of the seller's case. */
	for (i = 0; i<n; i += j> 0 ? j : 1) {
		j = word_at(s + i, n - i, &h, &k, &d, &up);
		if (d == 0 && !(k & C_LOW) && up >= 3 &&
		    name_at(r, s + i, n - i, j, h) != NULL)
			caps--;
	}
	return caps > other;
}

const char *
lp_rules_case(const struct lp_rules *r, const char *s, size_t n, int shouting,
    struct lp_buf *out)
{
	const char *brand = NULL;
	size_t i = 0, j, d, up, done = 0;
	unsigned h, k;

	/* Words kept as they are go out in runs, copied once. */
	while (i < n) {
		const struct lp_name *m;

		if (!(cls[(unsigned char)s[i]] & C_WORD)) {
			i++;
			continue;
		}
		j = word_at(s + i, n - i, &h, &k, &d, &up);
		if ((m = name_at(r, s + i, n - i, j, h)) != NULL) {
			if (m->brand && brand == NULL)
				brand = m->form;
			if (memcmp(s + i, m->form, m->len) != 0) {
				lp_buf_add(out, s + done, i - done);
				lp_buf_add(out, m->form, m->len);
				done = i + m->len;
			}
			i += m->len;
			continue;
		}
		if (d > 0 && (k & C_LOW) && !(k & (C_UP | C_HIGH))) {
			/* Letters and digits in small letters: a code? */
			lp_buf_add(out, s + done, i - done);
			case_code(s + i, j, d, out);
			done = i + j;
		} else if (d == 0 && j <= 4 && (k & C_LOW) &&
		    !(k & (C_UP | C_HIGH)) &&
		    code_follows(s + i + j, n - i - j)) {
			/* The letters before a code's number: "sm-g991b". */
			lp_buf_add(out, s + done, i - done);
			for (size_t q = 0; q < j; q++)
				lp_buf_addc(out, (char)(s[i + q] & ~0x20));
			done = i + j;
		} else if (d == 0 && shouting && up > 0 && !(k & C_LOW) &&
		    !code_follows(s + i + j, n - i - j)) {
			/* "ROCKET'S" is one word. */
			while (i + j + 1 < n && s[i + j] == '\'' &&
			    (cls[(unsigned char)s[i + j + 1]] & (C_UP | C_LOW)))
				for (j++; i + j < n &&
				     (cls[(unsigned char)s[i + j]] & C_WORD);
				     j++)
					;
			lp_buf_add(out, s + done, i - done);
			case_word(s + i, j, out);
			done = i + j;
		}
		i += j;
	}
	lp_buf_add(out, s + done, n - done);
	if (out->p != NULL)
		out->p[out->len] = '\0';
	return brand;
}

void
lp_rules_release(struct lp_rules *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].phrase);
		free(r->v[i].with);
	}
	for (i = 0; i < r->ncond; i++) {
		free(r->cond[i].words);
		free(r->cond[i].value);
	}
	for (i = 0; i < r->nnames; i++)
		free(r->names[i].form);
	free(r->names);
	free(r->slots);
	free(r->byfirst);
	free(r->v);
	free(r->cond);
	free(r->version);
	memset(r, 0, sizeof(*r));
}
