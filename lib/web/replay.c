/*
 * Reading a crawl back from its archive.  The index is built in one pass
 * over the archive and sorted; the pages are then read by seeking to
 * their records, so only one page is in memory at a time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/status.h"
#include "web/replay.h"

int
lp_replay_open(struct lp_replay *rp, const char *path)
{
	struct stat st;

	memset(rp, 0, sizeof(*rp));
	rp->most = 1;
	/* A directory opens, then fails on the first read: say so now. */
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return lp_error_set(&rp->err, "%s: %s", path, strerror(EISDIR));
	if (lp_warc_reader_open(&rp->r, path) != LP_OK) {
		rp->err = rp->r.err;
		return LP_FAILED;
	}
	return LP_OK;
}

static void
add(struct lp_replay *rp, const struct lp_replay_entry *x, size_t *cap)
{
	if (rp->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		rp->e = lp_xrealloc(rp->e, *cap * sizeof(*rp->e));
	}
	rp->e[rp->n++] = *x;
}

/*
 * Where the response rec belongs: 1 with x filled in (ours by its LP-
 * fields; another tool's HTML 2xx answer as a start after *other), 0
 * when it is not a page.
 */
static int
place(struct lp_replay *rp, const struct lp_warc_record *rec,
    struct lp_replay_entry *x, long long *other)
{
	const char *h = rec->head.p;
	size_t hl, bo, n = rec->head.len;
	char v[2048];
	long status;

	x->start = 0;
	x->page = 1;
	x->offset = rec->offset;
	x->skip = rec->skip;
	if (lp_header_field(h, n, "LP-Page", v, sizeof(v))) {
		x->page = strtoll(v, NULL, 10);
		if (lp_header_field(h, n, "LP-Start", v, sizeof(v)))
			x->start = strtoll(v, NULL, 10);
		if (rp->urls != NULL &&
		    lp_header_field(h, n, "LP-URL", v, sizeof(v)))
			json_object_set_new(
			    rp->urls, v, json_integer(rec->offset));
		return 1;
	}
	if (lp_http_response_split(
		rec->block.p, rec->block.len, &status, &hl, &bo) != LP_OK ||
	    status < 200 || status >= 300)
		return 0;
	lp_header_field(rec->block.p, hl, "content-type", v, sizeof(v));
	if (strstr(v, "html") == NULL)
		return 0;
	x->start = (*other)++;
	return 1;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct lp_replay_entry *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->skip < y->skip ? -1 : x->skip > y->skip;
}

int
lp_replay_index(struct lp_replay *rp, int by_url)
{
	struct lp_warc_record rec;
	struct lp_replay_entry x;
	/* Another tool's pages come after every start of ours. */
	long long other = 1LL << 40;
	size_t cap = 0, i, run = 0;
	int rc;

	if (by_url && rp->urls == NULL)
		rp->urls = json_object();
	memset(&rec, 0, sizeof(rec));
	while ((rc = lp_warc_next(&rp->r, &rec)) == LP_OK)
		if (strcmp(rec.type, "response") == 0 &&
		    place(rp, &rec, &x, &other))
			add(rp, &x, &cap);
	lp_warc_record_release(&rec);
	rp->whole = rp->r.consumed;
	if (rc == LP_FAILED) {
		rp->err = rp->r.err;
		if (!rp->r.torn)
			return LP_FAILED;
		rp->torn = 1;
	}
	if (rp->n > 0)
		qsort(rp->e, rp->n, sizeof(*rp->e), cmp_entry);
	for (i = 0; i < rp->n; i++) {
		run =
		    i > 0 && rp->e[i].start == rp->e[i - 1].start ? run + 1 : 1;
		if (run > (size_t)rp->most)
			rp->most = (int)run;
	}
	return LP_OK;
}

size_t
lp_replay_group(const struct lp_replay *rp, size_t i)
{
	size_t j = i;

	while (j < rp->n && rp->e[j].start == rp->e[i].start)
		j++;
	return j - i;
}

int
lp_replay_find(const struct lp_replay *rp, const char *url, long long *offset)
{
	json_t *at = json_object_get(rp->urls, url);

	if (at == NULL)
		return 0;
	*offset = json_integer_value(at);
	return 1;
}

int
lp_replay_read(struct lp_replay *rp, long long offset, unsigned skip,
    struct lp_warc_record *rec)
{
	if (lp_warc_seek(&rp->r, offset, skip) != LP_OK ||
	    lp_warc_next(&rp->r, rec) != LP_OK) {
		rp->err = rp->r.err;
		return LP_FAILED;
	}
	return LP_OK;
}

void
lp_replay_close(struct lp_replay *rp)
{
	if (rp->r.path != NULL)
		lp_warc_reader_close(&rp->r);
	free(rp->e);
	json_decref(rp->urls);
	memset(rp, 0, sizeof(*rp));
}

int
lp_replay_response(const struct lp_warc_record *rec, long *status, char *ctype,
    size_t n, size_t *body_off, struct lp_error *err)
{
	size_t hl;
	long st;

	if (lp_http_response_split(
		rec->block.p, rec->block.len, &st, &hl, body_off) != LP_OK)
		return lp_error_set(err, "the archived response is not HTTP");
	*status = st;
	if (st < 200 || st >= 300)
		return lp_error_set(err, "HTTP %ld (archived)", st);
	lp_header_field(rec->block.p, hl, "content-type", ctype, n);
	return LP_OK;
}

void
lp_replay_fields(struct lp_buf *out, size_t start, int page, const char *asked)
{
	lp_buf_addf(out, "LP-Start: %zu\r\nLP-Page: %d\r\n", start, page);
	if (asked != NULL)
		lp_buf_addf(out, "LP-URL: %s\r\n", asked);
}

int
lp_replay_cut(struct lp_replay *rp, const char *path)
{
	if (!rp->torn || truncate(path, (off_t)rp->whole) == 0)
		return LP_OK;
	lp_error_set(&rp->err, "%s: cannot cut the torn record: %s", path,
	    strerror(errno));
	return LP_FATAL;
}
