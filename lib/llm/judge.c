#include <math.h>
#include <string.h>

#include "core/status.h"
#include "llm/judge.h"

static int
space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

long
lp_judge_value_at(const char *s, const char *key)
{
	size_t klen = strlen(key);
	const char *p = s;
	int depth = 0;

	while (*p != '\0') {
		if (*p == '"') {
			const char *start = ++p, *end, *q;

			while (*p != '\0' && *p != '"')
				p += p[0] == '\\' && p[1] != '\0' ? 2 : 1;
			if (*p == '\0')
				return -1;
			end = p++;
			if (depth != 1 || (size_t)(end - start) != klen ||
			    memcmp(start, key, klen) != 0)
				continue;
			/* A key only if a colon follows; else a value. */
			for (q = p; space(*q); q++)
				;
			if (*q != ':')
				continue;
			for (q++; space(*q); q++)
				;
			return (long)(q - s);
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		p++;
	}
	return -1;
}

/*
 * A token's length in bytes: its "bytes" when given (a token can be part
 * of a UTF-8 sequence, shown escaped), else its text's.
 */
static size_t
token_len(const json_t *tok)
{
	const json_t *b = json_object_get(tok, "bytes");

	if (json_is_array(b))
		return json_array_size(b);
	return json_string_length(json_object_get(tok, "token"));
}

/* The digit 1..n a token stands for (" 3", ":3", "3,"), or 0. */
static int
digit_of(const char *t, int n)
{
	while (space(*t) || *t == ':' || *t == '"')
		t++;
	if (*t < '1' || *t > '0' + n || (t[1] >= '0' && t[1] <= '9'))
		return 0;
	return *t - '0';
}

void
lp_judge_summarise(struct lp_judge_dist *d)
{
	int k;

	d->score = 1;
	d->expected = 0;
	for (k = 1; k <= d->n; k++) {
		if (d->p[k] > d->p[d->score])
			d->score = k;
		d->expected += k * d->p[k];
	}
	d->confidence = d->p[d->score];
}

/* The index of the token holding byte at, and where it starts; -1. */
static long
token_at(const json_t *toks, long at, size_t *start)
{
	const json_t *tok;
	size_t i, pos = 0;

	json_array_foreach (toks, i, tok) {
		size_t len = token_len(tok);

		if ((size_t)at < pos + len) {
			*start = pos;
			return (long)i;
		}
		pos += len;
	}
	return -1;
}

void
lp_judge_trim(json_t *logprobs, const char *content, const char *key)
{
	json_t *toks = json_object_get(logprobs, "content"), *out, *head, *tok,
	       *alt;
	long at = lp_judge_value_at(content, key), i, k;
	size_t k2;
	size_t start = 0;
	double sum = 0;

	if (at < 0 || (i = token_at(toks, at, &start)) < 0)
		return;
	out = json_array();
	if (start > 0) {
		for (k = 0; k < i; k++)
			sum += json_number_value(json_object_get(
			    json_array_get(toks, (size_t)k), "logprob"));
		/* NULL if start splits a character: then leave it whole. */
		head = json_stringn(content, start);
		if (head == NULL) {
			json_decref(out);
			return;
		}
		json_array_append_new(
		    out, json_pack("{s:o,s:f}", "token", head, "logprob", sum));
	}
	/*
	 * The score token's length is not needed, nor its alternatives':
	 * without "bytes" a cached answer parses in half the time.
	 */
	tok = json_array_get(toks, (size_t)i);
	json_object_del(tok, "bytes");
	json_array_foreach (json_object_get(tok, "top_logprobs"), k2, alt)
		json_object_del(alt, "bytes");
	json_array_append(out, tok);
	json_object_set_new(logprobs, "content", out);
}

int
lp_judge_dist(const char *content, const json_t *logprobs, const char *key,
    int n, struct lp_judge_dist *d, struct lp_error *err)
{
	const json_t *toks = json_object_get(logprobs, "content"), *tok = NULL,
		     *alts, *a;
	long at = lp_judge_value_at(content, key);
	size_t i, pos = 0;
	int k;

	memset(d, 0, sizeof(*d));
	d->n = n;
	if (at < 0)
		return lp_error_set(err, "the reply has no score");
	i = (size_t)token_at(toks, at, &pos);
	tok = json_array_get(toks, i);
	if (tok == NULL)
		return lp_error_set(err, "the logprobs do not reach the score");
	/* The alternatives if given (they hold the chosen token too). */
	alts = json_object_get(tok, "top_logprobs");
	if (json_array_size(alts) == 0) {
		const char *t =
		    json_string_value(json_object_get(tok, "token"));

		if (t != NULL && (k = digit_of(t, n)) > 0)
			d->p[k] = exp(
			    json_number_value(json_object_get(tok, "logprob")));
	} else
		json_array_foreach (alts, i, a) {
			const char *t =
			    json_string_value(json_object_get(a, "token"));

			if (t != NULL && (k = digit_of(t, n)) > 0)
				d->p[k] += exp(json_number_value(
				    json_object_get(a, "logprob")));
		}
	for (k = 1; k <= n; k++)
		d->mass += d->p[k];
	if (!(d->mass > 0))
		return lp_error_set(err, "no score digit among the logprobs");
	for (k = 1; k <= n; k++)
		d->p[k] /= d->mass;
	lp_judge_summarise(d);
	return LP_OK;
}
