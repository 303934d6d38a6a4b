/*
 * dedup-eval: score lp-dedup --mark output of lp-gen --label records.
 *
 * usage: dedup-eval [-t threshold] [-s chars:K|words:K] [-n misses] [file]
 *
 * The truth is the task's definition: a record is a near duplicate when the
 * Jaccard similarity of its shingles to an earlier record reaches the
 * threshold.  The generator names the earlier record of each repeat it made
 * (gen.of), so the pairs are known without comparing every pair.  This
 * program computes similarities its own way (shingles as strings, sorted
 * and merged, no hashing), apart from the text normalisation, which is
 * liblp's definition of "the same text".
 *
 *   recall     labelled exact/near repeats at or above the threshold that
 *              were marked dup;
 *   precision  marked records whose named twin (dup.of) is really at or
 *              above the threshold.
 *
 * Labelled repeats whose edits took them below the threshold, and variants
 * (other listings of the same product) that were marked, are counted apart.
 * Exit 0 if recall >= --min-recall and precision >= --min-precision, else 1.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/buf.h"
#include "dedup/keyset.h"
#include "core/record.h"
#include "core/stream.h"
#include "text/text.h"

static int words, k = 5;

struct strs {
	const char **v;
	size_t *len, n, cap;
};

static int
cmp_shingle(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	size_t lx = strcspn(*x, "\n"), ly = strcspn(*y, "\n");
	int c = memcmp(*x, *y, lx < ly ? lx : ly);

	return c != 0 ? c : (lx > ly) - (lx < ly);
}

/*
 * Shingles of s (normalised, NUL-terminated) as pointers to their first
 * byte; each shingle ends where the next unit would start, marked by
 * terminating a private copy with '\n'.
 */
static void
shingles(const char *s, struct lp_buf *copy, struct strs *out)
{
	size_t starts[1024], nunits = 0, i, n = strlen(s);

	lp_buf_reset(copy);
	out->n = 0;
	for (i = 0; i < n && nunits < 1023; i++)
		if (words ? (i == 0 || s[i - 1] == ' ') && s[i] != ' '
			  : ((unsigned char)s[i] & 0xc0) != 0x80)
			starts[nunits++] = i;
	starts[nunits] = n;
	/* Each shingle copied with a '\n' after it, so it compares alone. */
	if (out->cap < nunits + 1) {
		out->cap = nunits + 1;
		out->v = lp_xrealloc(out->v, out->cap * sizeof(*out->v));
	}
	if (nunits <= (size_t)k) {
		if (n > 0) {
			lp_buf_add(copy, s, n);
			lp_buf_addc(copy, '\n');
			out->v[out->n++] = NULL;
		}
	} else
		for (i = 0; i + (size_t)k <= nunits; i++) {
			size_t end = starts[i + (size_t)k];

			if (words && end < n)
				end--; /* the space after the last word */
			lp_buf_add(copy, s + starts[i], end - starts[i]);
			lp_buf_addc(copy, '\n');
			out->v[out->n++] = NULL;
		}
	/* Pointers once the copy has stopped moving. */
	for (i = 0, n = 0; i < out->n; i++) {
		out->v[i] = copy->p + n;
		n += strcspn(copy->p + n, "\n") + 1;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_shingle);
	for (i = n = 0; i < out->n; i++)
		if (n == 0 || cmp_shingle(&out->v[n - 1], &out->v[i]) != 0)
			out->v[n++] = out->v[i];
	out->n = n;
}

static double
jaccard(const char *a, const char *b)
{
	static struct lp_buf ca = LP_BUF_INIT, cb = LP_BUF_INIT;
	static struct strs sa, sb;
	size_t i = 0, j = 0, both = 0;

	shingles(a, &ca, &sa);
	shingles(b, &cb, &sb);
	if (sa.n == 0 && sb.n == 0)
		return 1;
	while (i < sa.n && j < sb.n) {
		int c = cmp_shingle(&sa.v[i], &sb.v[j]);

		if (c == 0) {
			both++;
			i++;
			j++;
		} else if (c < 0)
			i++;
		else
			j++;
	}
	return (double)both / (double)(sa.n + sb.n - both);
}

/* Normalised titles by id: a key set of offsets into one buffer. */
static struct lp_keyset byid;
static struct lp_buf titles = LP_BUF_INIT;

static const char *
title_of(const char *id)
{
	uint32_t off;

	if (id == NULL ||
	    !lp_keyset_get(&byid, lp_key128_of(id, strlen(id)), &off))
		return NULL;
	return titles.p + off;
}

/* The options and the counts of one evaluation. */
struct eval {
	double t, minr, minp;
	int shown, maxshow;
	long long pos, tp, below, below_marked, marked, right, variants,
	    variants_marked, unlabelled;
};

/* The options into e; 0, or 2 after a usage message. */
static int
parse_options(struct eval *e, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"min-recall", required_argument, NULL, 'r'},
	    {"min-precision", required_argument, NULL, 'p'},
	    {NULL, 0, NULL, 0}};
	int ch;

	while ((ch = getopt_long(argc, argv, "t:s:n:", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			e->t = strtod(optarg, NULL);
			break;
		case 's':
			words = strncmp(optarg, "words:", 6) == 0;
			k = strchr(optarg, ':') != NULL
			    ? (int)strtol(strchr(optarg, ':') + 1, NULL, 10)
			    : 5;
			break;
		case 'n':
			e->maxshow = (int)strtol(optarg, NULL, 10);
			break;
		case 'r':
			e->minr = strtod(optarg, NULL);
			break;
		case 'p':
			e->minp = strtod(optarg, NULL);
			break;
		default:
			fprintf(stderr,
			    "usage: dedup-eval [-t threshold] [-s chars:K|"
			    "words:K] [-n misses] [--min-recall R] "
			    "[--min-precision P] [file]\n");
			return 2;
		}
	}
	return 0;
}

/*
 * Count record rec, whose normalised title is nt (NUL-terminated), against
 * the truth: its labelled twin (gen.of) for recall, its marked twin
 * (dup.of) for precision.
 */
static void
score(struct eval *e, struct lp_record *rec, const char *id, const char *nt)
{
	const char *kind, *gof, *dof;
	double j;

	kind = lp_record_get_str(rec, "gen.kind");
	gof = lp_record_get_str(rec, "gen.of");
	dof = lp_record_get_str(rec, "dup.of");
	if (kind != NULL && strcmp(kind, "variant") == 0) {
		e->variants++;
		e->variants_marked += dof != NULL;
	} else if (kind != NULL && title_of(gof) != NULL) {
		j = jaccard(nt, title_of(gof));
		if (j >= e->t) {
			e->pos++;
			e->tp += dof != NULL;
			if (dof == NULL && e->shown++ < e->maxshow)
				fprintf(stderr, "missed: %s (J=%.3f with %s)\n",
				    id, j, gof);
		} else {
			e->below++;
			e->below_marked += dof != NULL;
		}
	} else if (dof != NULL)
		e->unlabelled++;
	if (dof != NULL) {
		e->marked++;
		if (title_of(dof) != NULL &&
		    jaccard(nt, title_of(dof)) >= e->t - 1e-9)
			e->right++;
		else if (e->shown++ < e->maxshow)
			fprintf(stderr, "wrong: %s marked as a dup of %s\n", id,
			    dof);
	}
}

/* Print the scores; 0 if they reach the minimums, else 1. */
static int
report(const struct eval *e)
{
	double recall, precision;

	recall = e->pos ? (double)e->tp / (double)e->pos : 1;
	precision = e->marked ? (double)e->right / (double)e->marked : 1;
	printf("repeats at J>=%.2f: %lld, marked %lld: recall %.4f\n", e->t,
	    e->pos, e->tp, recall);
	printf("marked: %lld, twin at J>=%.2f: %lld: precision %.4f\n",
	    e->marked, e->t, e->right, precision);
	printf("labelled repeats edited below the threshold: %lld (%lld "
	       "marked)\n",
	    e->below, e->below_marked);
	printf("variants (other listings): %lld (%lld marked); unlabelled "
	       "records marked: %lld\n",
	    e->variants, e->variants_marked, e->unlabelled);
	return recall >= e->minr && precision >= e->minp ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct eval e = {0};
	struct lp_reader rd;
	struct lp_record rec;
	struct lp_text norm = {0};
	struct lp_buf nt = LP_BUF_INIT;
	const char *line;
	size_t len;
	int st;

	e.t = 0.8;
	e.maxshow = 5;
	if (parse_options(&e, argc, argv) != 0)
		return 2;
	if (lp_reader_open(&rd, argv + optind, argc - optind, 1 << 20) !=
	    LP_OK) {
		fprintf(stderr, "dedup-eval: %s\n", rd.err.msg);
		return 74;
	}
	lp_keyset_init(&byid, 1);
	lp_record_init(&rec);
	while ((st = lp_reader_next(&rd, &line, &len)) == LP_OK) {
		const char *id, *title;
		size_t tlen;

		if (lp_record_parse(&rec, line, len) != LP_OK)
			continue;
		id = lp_record_get_str(&rec, "id");
		title = lp_record_get_strn(&rec, "title", &tlen);
		if (id == NULL || title == NULL)
			continue;
		lp_buf_reset(&nt);
		lp_text_normalize(&norm, title, tlen, LP_TEXT_FOLD, &nt);
		lp_buf_addc(&nt, '\0');
		lp_keyset_add(
		    &byid, lp_key128_of(id, strlen(id)), (uint32_t)titles.len);
		lp_buf_add(&titles, nt.p, nt.len);
		score(&e, &rec, id, nt.p);
		lp_record_reset(&rec);
	}
	if (st == LP_FATAL) {
		fprintf(stderr, "dedup-eval: %s\n", rd.err.msg);
		return 65;
	}
	st = report(&e);
	lp_reader_close(&rd);
	lp_record_release(&rec);
	lp_keyset_release(&byid);
	lp_text_release(&norm);
	lp_buf_release(&nt);
	lp_buf_release(&titles);
	return st;
}
