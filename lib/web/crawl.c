/*
 * The crawl's bookkeeping: pages kept by start and index until their
 * turn, and the reading of one page into records.  Reading is the hot
 * path of lp-scrape on saved pages: the page is parsed once (Gumbo),
 * after what no rule reads is pruned from it into a buffer kept across
 * pages.
 */
#include <errno.h>
#include <gumbo.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/status.h"
#include "core/json.h"
#include "web/charset.h"
#include "web/crawl.h"
#include "web/fetch.h"
#include "web/replay.h"
#include "web/select.h"

void
lp_crawl_init(struct lp_crawl *c, const struct lp_profile *p, const char *site,
    const char *query, int npages, const struct lp_lineage *lg)
{
	memset(c, 0, sizeof(*c));
	c->profile = p;
	c->site = site;
	c->query = query;
	c->npages = npages;
	c->lineage = lg;
	c->asks_end = &c->asks;
}

void
lp_crawl_release(struct lp_crawl *c)
{
	size_t i;
	int k;

	for (i = 0; i < c->nstarts; i++) {
		for (k = 0; k < c->npages; k++) {
			struct lp_crawl_page *pg = &c->starts[i].pages[k];

			json_decref(pg->items);
			free(pg->url);
			free(pg->ids);
			lp_buf_release(&pg->req);
			lp_buf_release(&pg->resp);
			free(pg->asked);
		}
		free(c->starts[i].pages);
		free(c->starts[i].url);
	}
	free(c->starts);
	while (c->asks != NULL) {
		struct lp_crawl_ask *a = c->asks;

		c->asks = a->next;
		lp_crawl_ask_free(a);
	}
	lp_buf_release(&c->pruned);
	memset(c, 0, sizeof(*c));
}

char *
lp_crawl_search_url(const struct lp_profile *p, const char *query, int page)
{
	const char *t = lp_profile_str(p, "search"), *s, *q;
	struct lp_buf b = LP_BUF_INIT;

	if (t == NULL)
		return NULL;
	for (s = t; *s != '\0'; s++) {
		if (strncmp(s, "{query}", 7) == 0) {
			for (q = query; *q != '\0'; q++) {
				unsigned char ch = (unsigned char)*q;

				if (ch == ' ')
					lp_buf_addc(&b, '+');
				else if ((ch >= '0' && ch <= '9') ||
				    ((ch | 32) >= 'a' && (ch | 32) <= 'z') ||
				    strchr("-._~", ch) != NULL)
					lp_buf_addc(&b, (char)ch);
				else
					lp_buf_addf(&b, "%%%02X", ch);
			}
			s += 6;
		} else if (strncmp(s, "{page}", 6) == 0) {
			lp_buf_addf(&b, "%d", page);
			s += 5;
		} else
			lp_buf_addc(&b, *s);
	}
	lp_buf_addc(&b, '\0');
	return b.p;
}

const char *
lp_crawl_local_path(const char *url)
{
	if (strncmp(url, "file://", 7) == 0)
		return url + 7;
	return strstr(url, "://") == NULL ? url : NULL;
}

size_t
lp_crawl_add_start(struct lp_crawl *c, const char *url, int query)
{
	struct lp_crawl_start *st;

	c->starts =
	    lp_xrealloc(c->starts, sizeof(*c->starts) * (c->nstarts + 1));
	st = &c->starts[c->nstarts];
	memset(st, 0, sizeof(*st));
	st->url = lp_xstrdup(url);
	st->query = query;
	st->pages = calloc((size_t)c->npages, sizeof(*st->pages));
	if (st->pages == NULL)
		abort();
	return c->nstarts++;
}

int
lp_crawl_add_line(
    struct lp_crawl *c, const char *line, size_t len, struct lp_error *err)
{
	char url[4096];

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (len == 0)
		return LP_OK;
	if (line[0] == '{') {
		json_t *v = lp_json_load(line, len, 0, NULL);
		const char *u = json_string_value(json_object_get(v, "url"));
		int rc = LP_OK;

		if (u == NULL)
			rc = lp_error_set(err, "a record without a url");
		else
			lp_crawl_add_start(c, u, 0);
		json_decref(v);
		return rc;
	}
	snprintf(url, sizeof(url), "%.*s", (int)len, line);
	lp_crawl_add_start(c, url, 0);
	return LP_OK;
}

static void
ask(struct lp_crawl *c, size_t start, int n, const char *url)
{
	struct lp_crawl_ask *a = lp_xmalloc(sizeof(*a));

	a->start = start;
	a->n = n;
	a->url = lp_xstrdup(url);
	a->next = NULL;
	*c->asks_end = a;
	c->asks_end = &a->next;
}

struct lp_crawl_ask *
lp_crawl_next_ask(struct lp_crawl *c)
{
	struct lp_crawl_ask *a = c->asks;

	if (a != NULL && (c->asks = a->next) == NULL)
		c->asks_end = &c->asks;
	return a;
}

void
lp_crawl_ask_free(struct lp_crawl_ask *a)
{
	if (a != NULL)
		free(a->url);
	free(a);
}

int
lp_crawl_add_search(struct lp_crawl *c)
{
	char *u = lp_crawl_search_url(c->profile, c->query, 1);

	if (u == NULL)
		return LP_FAILED;
	lp_crawl_add_start(c, u, 1);
	free(u);
	return LP_OK;
}

struct lp_crawl_page *
lp_crawl_page_in(struct lp_crawl *c, size_t i, int k, int n, const char *url,
    long status, long long at)
{
	struct lp_crawl_start *st = &c->starts[i];
	struct lp_crawl_page *pg = &st->pages[k];

	if (k + 1 > st->got)
		st->got = k + 1;
	pg->start = i;
	pg->n = n;
	free(pg->url);
	pg->url = url != NULL ? lp_xstrdup(url) : NULL;
	pg->status = status;
	pg->at = at >= 0 ? at : lp_lineage_now(c->lineage);
	c->counts.pages++;
	return pg;
}

/* The ids of a page's items, to compare with the page before. */
static char *
item_ids(json_t *items)
{
	struct lp_buf ids = LP_BUF_INIT;
	json_t *it;
	size_t i;

	json_array_foreach (items, i, it) {
		lp_buf_adds(&ids, json_string_value(json_object_get(it, "id")));
		lp_buf_addc(&ids, ' ');
	}
	lp_buf_addc(&ids, '\0');
	return ids.p;
}

/* The next page: the link the page gives, or the search's own. */
static void
ask_next(struct lp_crawl *c, struct lp_crawl_start *st,
    const struct lp_crawl_page *pg, const char *link)
{
	char *next = NULL;

	if (link != NULL)
		next = lp_url_resolve(pg->url, link);
	else if (st->query)
		next = lp_crawl_search_url(c->profile, c->query, pg->n + 1);
	if (next != NULL) {
		st->asked++;
		ask(c, pg->start, pg->n + 1, next);
		free(next);
	}
}

/* The records of a page that is UTF-8. */
static void
extract(struct lp_crawl *c, struct lp_crawl_page *pg, const struct lp_buf *body)
{
	struct lp_crawl_start *st = &c->starts[pg->start];
	const char *b0 = body->p ? body->p : "";
	const struct lp_crawl_page *before;
	struct lp_page res;
	json_t *product;
	GumboOutput *o;
	size_t off;

	/* Scripts, styles and drawings are most of a page and read by no
	 * rule: Gumbo is spared them. */
	product = lp_jsonld_product(b0, body->len);
	/* Only the results part of the page, when the profile says where. */
	off = lp_profile_region(c->profile, b0, body->len);
	lp_html_prune(b0 + off, body->len - off, lp_profile_attrs(c->profile),
	    &c->pruned);
	o = lp_html_parse(c->pruned.p, c->pruned.len);
	lp_profile_extract(c->profile, o->root, product, &res);
	json_decref(product);
	lp_html_free(o);
	c->counts.skipped += (long long)res.skipped;
	if (res.blocked) {
		pg->blocked = c->blocked = 1;
		lp_page_release(&res);
		return;
	}
	pg->no_results = res.empty;
	pg->ids = item_ids(res.items);
	/* The same items as the page before: the site ran out of pages. */
	before =
	    pg->n > 1 && pg->n - 2 < c->npages ? &st->pages[pg->n - 2] : NULL;
	if (before != NULL && before->ids != NULL &&
	    strcmp(before->ids, pg->ids) == 0) {
		c->counts.repeated++;
		lp_page_release(&res);
		return;
	}
	pg->items = json_incref(res.items);
	if (pg->n < c->npages && json_array_size(res.items) > 0 && !st->is_file)
		ask_next(c, st, pg, res.next);
	lp_page_release(&res);
}

/* A page of n bytes over the crawl's limit: failed, said so. */
static int
too_large(struct lp_crawl *c, size_t n, struct lp_error *err)
{
	if (c->max_page == 0 || n <= c->max_page)
		return 0;
	lp_error_set(err, "the page is larger than %zu bytes", c->max_page);
	c->counts.failed++;
	return 1;
}

int
lp_crawl_read(struct lp_crawl *c, struct lp_crawl_page *pg, struct lp_buf *body,
    const char *ctype, struct lp_error *err)
{
	enum lp_charset_done done;

	if (too_large(c, body->len, err))
		return LP_FAILED;
	if (lp_charset_to_utf8(body, ctype, &done, err) != LP_OK) {
		c->counts.failed++;
		return LP_FAILED;
	}
	c->counts.converted += done == LP_CHARSET_CONVERTED;
	c->counts.repaired += done == LP_CHARSET_REPAIRED;
	extract(c, pg, body);
	return LP_OK;
}

int
lp_crawl_read_archived(struct lp_crawl *c, struct lp_crawl_page *pg,
    const struct lp_warc_record *rec, struct lp_error *err)
{
	struct lp_buf b = LP_BUF_INIT;
	char ctype[128];
	size_t bo;
	int rc;

	c->counts.archived++;
	if (lp_replay_response(
		rec, &pg->status, ctype, sizeof(ctype), &bo, err) != LP_OK) {
		c->counts.failed++;
		return LP_FAILED;
	}
	if (too_large(c, rec->block.len - bo, err))
		return LP_FAILED;
	lp_buf_add(&b, rec->block.p + bo, rec->block.len - bo);
	rc = lp_crawl_read(c, pg, &b, ctype, err);
	lp_buf_release(&b);
	return rc;
}

/*
 * The file at path into b, in one allocation when its size is known, and
 * no more of it than the crawl's limit allows (a pipe or a device is read
 * up to it): LP_FATAL when it cannot be read, LP_FAILED when it is too
 * large.
 */
static int
slurp(struct lp_crawl *c, const char *path, struct lp_buf *b,
    struct lp_error *err)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	char buf[65536];
	size_t n;
	int rc = LP_OK;

	if (f == NULL) {
		lp_error_set(
		    err, "cannot open '%s': %s", path, strerror(errno));
		return LP_FATAL;
	}
	if (fstat(fileno(f), &sb) == 0 && sb.st_size > 0) {
		if (too_large(c, (size_t)sb.st_size, err)) {
			fclose(f);
			return LP_FAILED;
		}
		lp_buf_grow(b, (size_t)sb.st_size);
	}
	while (rc == LP_OK && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		lp_buf_add(b, buf, n);
		if (too_large(c, b->len, err))
			rc = LP_FAILED;
	}
	if (rc == LP_OK && ferror(f)) {
		lp_error_set(err, "%s: %s", path, strerror(errno));
		rc = LP_FATAL;
	}
	fclose(f);
	return rc;
}

int
lp_crawl_read_file(struct lp_crawl *c, struct lp_crawl_page *pg,
    const char *path, struct lp_error *err)
{
	struct lp_crawl_start *st = &c->starts[pg->start];
	struct lp_buf b = LP_BUF_INIT;
	char abs[PATH_MAX + 8], real[PATH_MAX];
	int rc;

	st->is_file = 1;
	st->asked = 1;
	snprintf(abs, sizeof(abs), "file://%.*s", PATH_MAX - 1,
	    realpath(path, real) ? real : path);
	free(pg->url);
	pg->url = lp_xstrdup(abs);
	if ((rc = slurp(c, path, &b, err)) == LP_OK)
		rc = lp_crawl_read(c, pg, &b, NULL, err);
	lp_buf_release(&b);
	return rc;
}

int
lp_crawl_replay(struct lp_crawl *c, struct lp_replay *rp, size_t i,
    struct lp_warc_record *rec, struct lp_crawl_page **pg, struct lp_error *err)
{
	const struct lp_replay_entry *e = &rp->e[i];
	struct lp_crawl_start *st;

	if (lp_replay_read(rp, e->offset, e->skip, rec) != LP_OK) {
		*err = rp->err;
		return LP_FATAL;
	}
	if (i == 0 || e->start != e[-1].start) {
		size_t k = lp_crawl_add_start(c, rec->target, 0);

		st = &c->starts[k];
		/* Nothing is fetched: the start waits for its pages. */
		st->is_file = 1;
		st->asked = (int)lp_replay_group(rp, i);
	}
	st = &c->starts[c->nstarts - 1];
	*pg = lp_crawl_page_in(c, c->nstarts - 1, st->got, (int)e->page,
	    rec->target, 0, rec->at_ms);
	return lp_crawl_read_archived(c, *pg, rec, err);
}

int
lp_crawl_resume(struct lp_crawl *c, struct lp_replay *rp,
    const struct lp_crawl_ask *a, struct lp_warc_record *rec,
    struct lp_crawl_page **pg, struct lp_error *err)
{
	long long off;

	if (!lp_replay_find(rp, a->url, &off))
		return LP_EOF;
	if (lp_replay_read(rp, off, 0, rec) != LP_OK) {
		*err = rp->err;
		return LP_FATAL;
	}
	*pg = lp_crawl_page_in(
	    c, a->start, a->n - 1, a->n, rec->target, 0, rec->at_ms);
	return lp_crawl_read_archived(c, *pg, rec, err);
}

int
lp_crawl_begin(struct lp_crawl *c, size_t i, struct lp_crawl_page **pg,
    struct lp_error *err)
{
	const char *path = lp_crawl_local_path(c->starts[i].url);
	int rc;

	if (path == NULL) {
		c->starts[i].asked = 1;
		ask(c, i, 1, c->starts[i].url);
		return LP_EOF;
	}
	*pg = lp_crawl_page_in(c, i, 0, 1, NULL, 0, -1);
	rc = lp_crawl_read_file(c, *pg, path, err);
	if (rc == LP_FAILED)
		lp_error_prefix(err, "%s", path);
	return rc;
}

void
lp_crawl_page_keep(struct lp_crawl_page *pg, struct lp_buf *req,
    const struct lp_buf *head, const struct lp_buf *body, const char *asked,
    const char *ip)
{
	pg->req = *req;
	memset(req, 0, sizeof(*req));
	lp_warc_response_block(head, body, &pg->resp);
	pg->asked = lp_xstrdup(asked);
	snprintf(pg->ip, sizeof(pg->ip), "%s", ip);
}

int
lp_crawl_archive(const struct lp_crawl_page *pg, struct lp_warc *w)
{
	struct lp_buf more = LP_BUF_INIT;
	int rc;

	if (pg->resp.len == 0)
		return LP_OK;
	lp_replay_fields(&more, pg->start, pg->n, pg->asked);
	rc = lp_warc_put_exchange(
	    w, pg->url, pg->at, pg->ip, &pg->req, &pg->resp, more.p);
	lp_buf_release(&more);
	return rc;
}

int
lp_crawl_archive_rest(const struct lp_crawl *c, struct lp_warc *w)
{
	const struct lp_crawl_start *st;
	size_t i;
	int k;

	for (i = c->head; i < c->nstarts; i++) {
		st = &c->starts[i];
		for (k = st->emitted; k < st->got; k++)
			if (st->pages[k].n > 0 &&
			    lp_crawl_archive(&st->pages[k], w) != LP_OK)
				return LP_FAILED;
	}
	return LP_OK;
}

struct lp_crawl_page *
lp_crawl_ready(struct lp_crawl *c)
{
	while (c->head < c->nstarts) {
		struct lp_crawl_start *st = &c->starts[c->head];

		if (st->emitted < st->got && st->pages[st->emitted].n > 0)
			return &st->pages[st->emitted];
		if (st->got < st->asked || st->emitted < st->got)
			return NULL;
		c->head++;
	}
	return NULL;
}

void
lp_crawl_written(struct lp_crawl *c)
{
	struct lp_crawl_start *st = &c->starts[c->head];
	struct lp_crawl_page *pg = &st->pages[st->emitted++];

	json_decref(pg->items);
	pg->items = NULL;
	lp_buf_release(&pg->req);
	lp_buf_release(&pg->resp);
	free(pg->asked);
	pg->asked = NULL;
}

int
lp_crawl_record(const struct lp_crawl *c, const struct lp_crawl_page *pg,
    size_t i, struct lp_buf *scratch, struct lp_record *rec)
{
	json_t *it = json_array_get(pg->items, i);

	json_object_set_new(it, "source",
	    json_pack("{s:s,s:s,s:i,s:I,s:I,s:o}", "site", c->site, "url",
		pg->url, "page", pg->n, "rank", (json_int_t)i + 1, "fetched_at",
		(json_int_t)pg->at, "http_status",
		pg->status ? json_integer(pg->status) : json_null()));
	lp_buf_reset(scratch);
	lp_json_dump(it, scratch);
	return lp_record_parse(rec, scratch->p, scratch->len);
}

void
lp_crawl_counts(const struct lp_crawl_counts *n,
    void (*count)(void *arg, const char *name, long long n), void *arg)
{
	count(arg, "pages", n->pages);
	count(arg, "pages_failed", n->failed);
	count(arg, "robots_disallowed", n->robots);
	count(arg, "pages_repeated", n->repeated);
	count(arg, "items_skipped", n->skipped);
	count(arg, "pages_converted", n->converted);
	count(arg, "pages_repaired", n->repaired);
	count(arg, "pages_from_archive", n->archived);
}

void
lp_crawl_where(const struct lp_crawl *c, struct lp_buf *out)
{
	lp_buf_addf(out, "start %zu of %zu (%s), page %d", c->head + 1,
	    c->nstarts, c->starts[c->head].url, c->starts[c->head].emitted + 1);
}

int
lp_crawl_archive_exchange(
    struct lp_warc *w, const struct lp_fetch_result *x, long long at)
{
	struct lp_buf b = LP_BUF_INIT;
	int rc;

	lp_warc_response_block(&x->head, &x->body, &b);
	rc = lp_warc_put_exchange(
	    w, x->final_url, at, x->ip, &x->request, &b, NULL);
	lp_buf_release(&b);
	return rc;
}

void
lp_crawl_ask_drop(void *a)
{
	lp_crawl_ask_free(a);
}
