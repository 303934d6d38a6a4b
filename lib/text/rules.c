#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/status.h"
#include "text/rules.h"
#include "core/data.h"

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

int
lp_rules_load(struct lp_rules *r, const char *text, size_t n, const char *name,
    struct lp_error *err)
{
	const char *p = text, *end = text + n;
	int lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl != NULL ? nl : end, *arg;
		size_t len, klen;

		lineno++;
		while (p < e && isspace((unsigned char)*p))
			p++;
		len = (size_t)(e - p);
		while (len > 0 && isspace((unsigned char)p[len - 1]))
			len--;
		if (len == 0 || *p == '#')
			goto next;
		for (klen = 0; klen < len && p[klen] != ' '; klen++)
			;
		for (arg = p + klen; arg < p + len && *arg == ' '; arg++)
			;
		if (arg == p + len) {
			return lp_error_set(err, "%s:%d: '%.*s' needs a value",
			    name, lineno, (int)klen, p);
		}
		len -= (size_t)(arg - p);
		if (klen == 7 && strncmp(p, "version", 7) == 0) {
			free(r->version);
			r->version = dup_n(arg, len);
		} else if ((klen == 6 && strncmp(p, "remove", 6) == 0) ||
		    (klen == 6 && strncmp(p, "expand", 6) == 0)) {
			struct lp_rule *u;
			const char *sp = memchr(arg, ' ', len);

			r->v = lp_xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
			u = &r->v[r->n++];
			memset(u, 0, sizeof(*u));
			if (p[0] == 'r') {
				u->kind = LP_RULE_REMOVE;
				u->phrase = dup_n(arg, u->len = len);
			} else {
				if (sp == NULL) {
					r->n--;
					return lp_error_set(err,
					    "%s:%d: expand needs a meaning",
					    name, lineno);
				}
				u->kind = LP_RULE_EXPAND;
				u->phrase =
				    dup_n(arg, u->len = (size_t)(sp - arg));
				u->with =
				    dup_n(sp + 1, u->wlen = len - u->len - 1);
			}
			r->first[tolower((unsigned char)u->phrase[0])] = 1;
			r->first[toupper((unsigned char)u->phrase[0])] = 1;
		} else if (klen == 4 && strncmp(p, "runs", 4) == 0) {
			size_t have = strlen(r->runs);

			if (have + len >= sizeof(r->runs)) {
				return lp_error_set(err,
				    "%s:%d: too many run characters", name,
				    lineno);
			}
			memcpy(r->runs + have, arg, len);
			r->runs[have + len] = '\0';
			/* A run may start at these bytes too. */
			for (size_t q = 0; q < len; q++)
				r->first[(unsigned char)arg[q]] = 1;
		} else if (klen == 9 && strncmp(p, "condition", 9) == 0) {
			const char *sp = memchr(arg, ' ', len);

			if (sp == NULL) {
				return lp_error_set(err,
				    "%s:%d: condition needs a value and words",
				    name, lineno);
			}
			r->cond = lp_xrealloc(
			    r->cond, (r->ncond + 1) * sizeof(*r->cond));
			r->cond[r->ncond].value =
			    dup_n(arg, (size_t)(sp - arg));
			r->cond[r->ncond].words =
			    dup_n(sp + 1, len - (size_t)(sp - arg) - 1);
			cond_key(r->cond[r->ncond].words,
			    strlen(r->cond[r->ncond].words),
			    r->cond[r->ncond].key);
			cond_key(r->cond[r->ncond].value,
			    strlen(r->cond[r->ncond].value),
			    r->cond[r->ncond].vkey);
			r->ncond++;
		} else {
			return lp_error_set(err, "%s:%d: unknown rule '%.*s'",
			    name, lineno, (int)klen, p);
		}
	next:
		p = e + 1;
	}
	if (r->n > 1)
		qsort(r->v, r->n, sizeof(*r->v), by_length);
	return LP_OK;
}

void
lp_rules_default(struct lp_rules *r)
{
	memset(r, 0, sizeof(*r));
	if (lp_rules_load(r, (const char *)lp_data_clean_rules,
		lp_data_clean_rules_len, "clean-rules.txt", NULL) != LP_OK)
		abort(); /* the built-in list is tested */
}

/* The rule whose phrase is at s[i] with word boundaries, or NULL. */
static struct lp_rule *
match(struct lp_rules *r, const char *s, size_t n, size_t i)
{
	size_t k;

	for (k = 0; k < r->n; k++) {
		struct lp_rule *u = &r->v[k];

		if (tolower((unsigned char)u->phrase[0]) !=
			tolower((unsigned char)s[i]) ||
		    u->len > n - i ||
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
		if (c != 0 && strchr(r->runs, c) != NULL && i + 1 < n &&
		    strchr(r->runs, s[i + 1]) != NULL && s[i + 1] != '\0') {
			while (i < n && s[i] != '\0' &&
			    strchr(r->runs, s[i]) != NULL)
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
	free(r->v);
	free(r->cond);
	free(r->version);
	memset(r, 0, sizeof(*r));
}
