/*
 * lp-scrape: search-result pages to listing records.  Pages come from the
 * web through a polite fetcher (lib/fetch: robots.txt, a delay and a cap
 * per host, backoff on 429/503, retries) or from local files; a profile
 * (lib/profile, rules as data; eBay UK built in) turns each into records.
 *
 * Records leave in the order of the start URLs, each start's pages in
 * order, though the starts are fetched at once.  A page that is a bot
 * check ends the run with status 69: it never becomes zero records.
 */
#define _GNU_SOURCE /* strcasestr */
#include <errno.h>
#include <getopt.h>
#include <gumbo.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/status.h"
#include "tool/cli.h"
#include "web/fetch.h"
#include "core/json.h"
#include "tool/log.h"
#include "web/profile.h"
#include "core/record.h"
#include "web/robots.h"
#include "web/select.h"
#include "tool/run.h"
#include "web/warc.h"
#include "text/text.h"
#include "core/data.h"

enum {
	OPT_CHECK_ROBOTS = LP_OPT_TOOL_BASE,
	OPT_CONTACT,
	OPT_DELAY,
	OPT_IGNORE_ROBOTS,
	OPT_FROM_WARC,
	OPT_MAX_PAGE,
	OPT_MAX_RETRIES,
	OPT_PAGES,
	OPT_PER_HOST,
	OPT_PROFILE,
	OPT_QUERY,
	OPT_RESUME,
	OPT_SITE,
	OPT_TIMEOUT,
	OPT_WARC
};

static const struct lp_tool tool = {"lp-scrape",
    "[-qv] [-o file] [--query text] [--pages n] [--profile file]\n"
    "       [--delay seconds] [--per-host n] [--contact address]\n"
    "       [--ignore-robots] [--warc file [--resume]] [url | file ...]\n"
    "       lp-scrape --from-warc file\n"
    "       lp-scrape --check-robots robots.txt agent url ...",
    "Fetch search-result pages politely and write one record per listing.",
    "      --query=TEXT        search for TEXT on the site\n"
    "      --site=NAME         the built-in profile (ebay-uk, the default)\n"
    "      --profile=FILE      extraction rules from FILE instead\n"
    "      --pages=N           follow up to N pages per start (default 1)\n"
    "      --delay=SECONDS     between requests to a host (default 1)\n"
    "      --per-host=N        requests at once per host (default 2)\n"
    "      --contact=ADDRESS   an e-mail or URL for the User-Agent\n"
    "                          (also LP_CONTACT)\n"
    "      --ignore-robots     do not obey robots.txt (audit-logged)\n"
    "      --max-retries=N     retries of a failed page (default 4)\n"
    "      --timeout=SECONDS   per attempt (default 30)\n"
    "      --max-page=SIZE     largest page accepted (default 8M)\n"
    "      --warc=FILE         archive every request and response in FILE\n"
    "                          (WARC/1.1, a gzip member per record)\n"
    "      --resume            with --warc: keep FILE and fetch only what\n"
    "                          it lacks (an interrupted crawl goes on)\n"
    "      --from-warc=FILE    records from an archive, fetching nothing\n"
    "      --check-robots      print allowed or disallowed for each url\n"
    "                          under robots.txt for agent, and exit\n",
    0};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    {"check-robots", no_argument, NULL, OPT_CHECK_ROBOTS},
    {"contact", required_argument, NULL, OPT_CONTACT},
    {"delay", required_argument, NULL, OPT_DELAY},
    {"ignore-robots", no_argument, NULL, OPT_IGNORE_ROBOTS},
    {"from-warc", required_argument, NULL, OPT_FROM_WARC},
    {"max-page", required_argument, NULL, OPT_MAX_PAGE},
    {"max-retries", required_argument, NULL, OPT_MAX_RETRIES},
    {"pages", required_argument, NULL, OPT_PAGES},
    {"per-host", required_argument, NULL, OPT_PER_HOST},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"query", required_argument, NULL, OPT_QUERY},
    {"resume", no_argument, NULL, OPT_RESUME},
    {"site", required_argument, NULL, OPT_SITE},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"warc", required_argument, NULL, OPT_WARC}, {NULL, 0, NULL, 0}};

/* One page, fetched or read, waiting for its turn to be written. */
struct page {
	int n;	       /* 1, 2, ... */
	json_t *items; /* records, or NULL when it failed */
	char *url;     /* where it came from (after redirects) */
	long status;   /* HTTP status, 0 for a file */
	long long at;  /* when it was fetched, ms */
	char *ids;     /* its item ids, to see a repeated page */
	/* For the archive, until the page's turn: */
	struct lp_buf req, resp; /* the request, the response as archived */
	char *asked;		 /* the URL asked for */
	char ip[64];
};

/* A start URL or file and its pages. */
struct start {
	char *url;
	int is_file, query;
	int asked, got;	    /* pages asked for, pages in */
	int emitted;	    /* pages written */
	struct page *pages; /* by n - 1 */
};

static struct {
	struct lp_profile *profile;
	const char *site, *query;
	int npages;
	struct start *starts;
	size_t nstarts, head;
	struct lp_fetch *fetch;
	struct lp_run *run;
	long long n_pages, n_failed, n_robots, n_repeated, n_skipped,
	    n_converted, n_repaired;
	int blocked;
	struct lp_buf pruned; /* the page being read, pruned */
	struct lp_warc warc;  /* --warc */
	int have_warc, warc_failed;
	json_t *archived;	    /* --resume: URL asked -> record offset */
	struct lp_warc_reader from; /* --resume, --from-warc */
	long long n_archived;
} s;

struct ask {
	size_t start;
	int page;
};

static char *search_url(const char *query, int page);
static void ask(size_t start, int page, const char *url);
static void add_start(const char *url, int query);
static void drain(void);

/* ---- Pages to records. */

/* Latin-1 and windows-1252 pages become UTF-8; other charsets are
 * refused; invalid UTF-8 is repaired.  0, or -1 with why. */
static int
to_utf8(struct lp_buf *b, const char *ctype, char *why, size_t n)
{
	char cs[40] = "";
	const char *c = ctype ? strcasestr(ctype, "charset=") : NULL;
	struct lp_buf out = LP_BUF_INIT;
	size_t i;

	if (c == NULL && b->len > 0) {
		/* <meta charset=...> near the top. */
		size_t look = b->len < 2048 ? b->len : 2048;
		char head[2049];

		memcpy(head, b->p, look);
		head[look] = '\0';
		for (i = 0; i < look; i++)
			if (head[i] == '\0')
				head[i] = ' ';
		c = strcasestr(head, "charset=");
		if (c != NULL) {
			c += 8;
			while (*c == '"' || *c == '\'')
				c++;
			snprintf(cs, sizeof(cs), "%.*s",
			    (int)strcspn(c, "\"'; />"), c);
		}
	} else if (c != NULL) {
		c += 8;
		while (*c == '"')
			c++;
		snprintf(cs, sizeof(cs), "%.*s", (int)strcspn(c, "\"; "), c);
	}
	if (cs[0] == '\0' || strcasecmp(cs, "utf-8") == 0 ||
	    strcasecmp(cs, "utf8") == 0 || strcasecmp(cs, "us-ascii") == 0) {
		if (!lp_utf8_valid(b->p ? b->p : "", b->len, NULL)) {
			lp_utf8_repair(b->p, b->len, &out);
			lp_buf_reset(b);
			lp_buf_add(b, out.p, out.len);
			s.n_repaired++;
		}
	} else if (strcasecmp(cs, "iso-8859-1") == 0 ||
	    strcasecmp(cs, "latin1") == 0 ||
	    strcasecmp(cs, "windows-1252") == 0) {
		/* Latin-1 maps to the first 256 code points (the 0x80-0x9f
		 * of windows-1252 are taken as such too: rare in markup). */
		for (i = 0; i < b->len; i++) {
			unsigned char ch = (unsigned char)b->p[i];

			if (ch < 0x80)
				lp_buf_addc(&out, (char)ch);
			else {
				lp_buf_addc(&out, (char)(0xc0 | ch >> 6));
				lp_buf_addc(&out, (char)(0x80 | (ch & 0x3f)));
			}
		}
		lp_buf_reset(b);
		lp_buf_add(b, out.p, out.len);
		s.n_converted++;
	} else {
		snprintf(why, n, "the page is in %s, not UTF-8 or Latin-1", cs);
		return -1;
	}
	lp_buf_release(&out);
	return 0;
}

/* Extract a page; 0, or -1 when it is a bot check. */
static int
extract(struct start *st, struct page *pg, struct lp_buf *body)
{
	GumboOutput *o;
	struct lp_page res;
	json_t *product;
	const char *b0 = body->p ? body->p : "";
	size_t off;
	struct lp_buf ids = LP_BUF_INIT;
	json_t *it;
	size_t i;

	/* Scripts, styles and drawings are most of a page and read by no
	 * rule: Gumbo is spared them. */
	product = lp_jsonld_product(b0, body->len);
	/* Only the results part of the page, when the profile says where. */
	off = lp_profile_region(s.profile, b0, body->len);
	lp_html_prune(
	    b0 + off, body->len - off, lp_profile_attrs(s.profile), &s.pruned);
	o = gumbo_parse_with_options(
	    &kGumboDefaultOptions, s.pruned.p ? s.pruned.p : "", s.pruned.len);
	lp_profile_extract(s.profile, o->root, product, &res);
	json_decref(product);
	gumbo_destroy_output(&kGumboDefaultOptions, o);
	s.n_skipped += (long long)res.skipped;
	if (res.blocked) {
		lp_warnx(
		    "%s: the page is a bot check (blocked); stopping", pg->url);
		s.blocked = 1;
		lp_page_release(&res);
		return -1;
	}
	if (res.empty && pg->n == 1)
		lp_warnx("%s: no results", pg->url);
	json_array_foreach (res.items, i, it) {
		lp_buf_adds(&ids, json_string_value(json_object_get(it, "id")));
		lp_buf_addc(&ids, ' ');
	}
	lp_buf_addc(&ids, '\0');
	pg->ids = ids.p;
	/* The same items as the page before: the site ran out of pages. */
	if (pg->n > 1 && st->pages[pg->n - 2].ids != NULL &&
	    strcmp(st->pages[pg->n - 2].ids, pg->ids) == 0) {
		s.n_repeated++;
		lp_page_release(&res);
		return 0;
	}
	pg->items = json_incref(res.items);
	/* The next page: the link the page gives, or the search's own. */
	if (pg->n < s.npages && json_array_size(res.items) > 0 &&
	    !st->is_file) {
		char *next = NULL;

		if (res.next != NULL)
			next = lp_url_resolve(pg->url, res.next);
		else if (st->query)
			next = search_url(s.query, pg->n + 1);
		if (next != NULL) {
			st->asked++;
			ask((size_t)(st - s.starts), pg->n + 1, next);
			free(next);
		}
	}
	lp_page_release(&res);
	return 0;
}

/* ---- The archive (WARC). */

/*
 * The response as archived: its head as received, less the encodings
 * curl undid, and the body as decoded (so the archive replays without a
 * decoder).
 */
static void
response_block(
    const struct lp_buf *head, const struct lp_buf *body, struct lp_buf *out)
{
	const char *p = head->p, *end = p + head->len;

	lp_buf_reset(out);
	while (p != NULL && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((eol != NULL ? eol + 1 : end) - p);

		if (n > 2 && strncasecmp(p, "content-encoding:", 17) != 0 &&
		    strncasecmp(p, "transfer-encoding:", 18) != 0 &&
		    strncasecmp(p, "content-length:", 15) != 0)
			lp_buf_add(out, p, n);
		p += n;
	}
	lp_buf_addf(out, "Content-Length: %zu\r\n\r\n", body->len);
	lp_buf_add(out, body->p, body->len);
}

/* A request and its response; the archive failing ends the run (74). */
static void
archive(const char *url, long long at, const char *ip, const struct lp_buf *req,
    const struct lp_buf *resp, const char *more)
{
	struct lp_buf x = LP_BUF_INIT;
	char id[48] = "";

	if (s.warc_failed)
		return;
	if (ip != NULL && *ip != '\0')
		lp_buf_addf(&x, "WARC-IP-Address: %s\r\n", ip);
	if (req->len > 0 &&
	    lp_warc_put(&s.warc, "request", url, at,
		"application/http;msgtype=request", x.p, req->p, req->len,
		id) != LP_OK)
		s.warc_failed = 1;
	if (id[0] != '\0')
		lp_buf_addf(&x, "WARC-Concurrent-To: <%s>\r\n", id);
	if (more != NULL)
		lp_buf_adds(&x, more);
	if (!s.warc_failed &&
	    lp_warc_put(&s.warc, "response", url, at,
		"application/http;msgtype=response", x.p, resp->p, resp->len,
		NULL) != LP_OK)
		s.warc_failed = 1;
	if (s.warc_failed)
		lp_warnx("%s", s.warc.err);
	lp_buf_release(&x);
}

/* robots.txt and retried attempts: archived as they come. */
static void
on_exchange(void *arg, const struct lp_fetch_result *x)
{
	struct lp_buf b = LP_BUF_INIT;

	(void)arg;
	response_block(&x->head, &x->body, &b);
	archive(x->final_url, lp_lineage_now(&s.run->lineage), x->ip,
	    &x->request, &b, NULL);
	lp_buf_release(&b);
}

/*
 * A page in its turn, so that the archive holds pages in output order;
 * LP-Start, LP-Page and LP-URL let --from-warc and --resume put each
 * where it came from.
 */
static void
archive_page(struct start *st, struct page *pg)
{
	struct lp_buf more = LP_BUF_INIT;

	if (pg->resp.len > 0) {
		lp_buf_addf(&more, "LP-Start: %zu\r\nLP-Page: %d\r\n",
		    (size_t)(st - s.starts), pg->n);
		if (pg->asked != NULL)
			lp_buf_addf(&more, "LP-URL: %s\r\n", pg->asked);
		archive(pg->url, pg->at, pg->ip, &pg->req, &pg->resp, more.p);
	}
	lp_buf_release(&more);
	lp_buf_release(&pg->req);
	lp_buf_release(&pg->resp);
	free(pg->asked);
	pg->asked = NULL;
}

/* An archived response becomes page k (number n) of st. */
static void
land_record(struct start *st, int k, int n, const struct lp_warc_record *rec)
{
	struct page *pg = &st->pages[k];
	struct lp_buf b = LP_BUF_INIT;
	char ctype[128], why[160];
	size_t hl, bo;
	long status;

	if (k + 1 > st->got)
		st->got = k + 1;
	pg->n = n;
	pg->url = lp_xstrdup(rec->target);
	pg->at = rec->at_ms >= 0 ? rec->at_ms : lp_lineage_now(&s.run->lineage);
	s.n_pages++;
	s.n_archived++;
	if (lp_http_response_split(
		rec->block.p, rec->block.len, &status, &hl, &bo) != 0) {
		lp_warnx("%s: the archived response is not HTTP", pg->url);
		s.n_failed++;
		return;
	}
	pg->status = status;
	if (status < 200 || status >= 300) {
		lp_warnx("%s: HTTP %ld (archived)", pg->url, status);
		s.n_failed++;
		return;
	}
	lp_header_field(rec->block.p, hl, "content-type", ctype, sizeof(ctype));
	lp_buf_add(&b, rec->block.p + bo, rec->block.len - bo);
	if (to_utf8(&b, ctype, why, sizeof(why)) != 0) {
		lp_warnx("%s: %s", pg->url, why);
		s.n_failed++;
	} else
		extract(st, pg, &b);
	lp_buf_release(&b);
}

/* Fetch page n of start i, or take it from the archive (--resume). */
static void
ask(size_t i, int page, const char *url)
{
	json_t *at = json_object_get(s.archived, url);
	struct lp_warc_record rec;

	if (at != NULL) {
		memset(&rec, 0, sizeof(rec));
		if (lp_warc_seek(&s.from, json_integer_value(at), 0) != LP_OK ||
		    lp_warc_next(&s.from, &rec) != LP_OK)
			lp_errx(LP_EXIT_DATAERR, "%s", s.from.err);
		land_record(&s.starts[i], page - 1, page, &rec);
		lp_warc_record_release(&rec);
	} else {
		struct ask *a = lp_xmalloc(sizeof(*a));

		a->start = i;
		a->page = page;
		lp_fetch_add(s.fetch, url, a);
	}
}

/* A page response in an archive, and where it belongs. */
struct entry {
	long long start, page, offset;
	unsigned skip;
};

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->skip < y->skip ? -1 : x->skip > y->skip;
}

/*
 * The page responses of an archive, in one pass (s.from stays open for
 * reading them).  Ours say where they belong (LP-Start, LP-Page, and the
 * URL asked, kept in s.archived when it is set); in another tool's archive
 * every HTML answer with a 2xx status is a start of its own.  A record cut
 * short at the end (an interrupted crawl) ends the index with a warning;
 * *whole is then the length of the whole part.
 */
static struct entry *
index_archive(const char *path, size_t *n, long long *whole)
{
	struct lp_warc_record rec;
	struct entry *e = NULL;
	long long other = 1LL << 40;
	size_t cap = 0;
	char v[2048];
	int rc;

	*n = 0;
	if (lp_warc_reader_open(&s.from, path) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", s.from.err);
	memset(&rec, 0, sizeof(rec));
	while ((rc = lp_warc_next(&s.from, &rec)) == LP_OK) {
		struct entry x = {0, 1, rec.offset, rec.skip};
		size_t hl, bo;
		long status;

		if (strcmp(rec.type, "response") != 0)
			continue;
		if (lp_header_field(
			rec.head.p, rec.head.len, "LP-Page", v, sizeof(v))) {
			x.page = strtoll(v, NULL, 10);
			if (lp_header_field(rec.head.p, rec.head.len,
				"LP-Start", v, sizeof(v)))
				x.start = strtoll(v, NULL, 10);
			if (s.archived != NULL &&
			    lp_header_field(rec.head.p, rec.head.len, "LP-URL",
				v, sizeof(v)))
				json_object_set_new(
				    s.archived, v, json_integer(rec.offset));
		} else if (lp_http_response_split(rec.block.p, rec.block.len,
			       &status, &hl, &bo) == 0 &&
		    status >= 200 && status < 300) {
			lp_header_field(
			    rec.block.p, hl, "content-type", v, sizeof(v));
			if (strstr(v, "html") == NULL)
				continue;
			x.start = other++;
		} else
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			e = lp_xrealloc(e, cap * sizeof(*e));
		}
		e[(*n)++] = x;
	}
	if (rc == LP_FAILED && !s.from.torn)
		lp_errx(LP_EXIT_DATAERR, "%s", s.from.err);
	if (rc == LP_FAILED)
		lp_warnx("%s (an interrupted crawl): the records before it "
			 "are used",
		    s.from.err);
	*whole = s.from.consumed;
	lp_warc_record_release(&rec);
	return e;
}

/* --from-warc: the pages of an archive, in the order they were written. */
static void
replay(const char *path)
{
	struct lp_warc_record rec;
	long long whole, cur = -1;
	size_t n, i, k = 0, most = 1, run = 0;
	struct entry *e = index_archive(path, &n, &whole);

	qsort(e, n, sizeof(*e), cmp_entry);
	for (i = 0; i < n; i++) {
		run = i > 0 && e[i].start == e[i - 1].start ? run + 1 : 1;
		most = run > most ? run : most;
	}
	s.npages = (int)most;
	memset(&rec, 0, sizeof(rec));
	for (i = 0; i < n && !s.blocked && !lp_interrupted; i++) {
		struct start *st;

		if (lp_warc_seek(&s.from, e[i].offset, e[i].skip) != LP_OK ||
		    lp_warc_next(&s.from, &rec) != LP_OK)
			lp_errx(LP_EXIT_DATAERR, "%s", s.from.err);
		if (e[i].start != cur) {
			size_t j = i;

			add_start(rec.target, 0);
			while (j < n && e[j].start == e[i].start)
				j++;
			/* Nothing is fetched; drain() waits for every page. */
			s.starts[s.nstarts - 1].is_file = 1;
			s.starts[s.nstarts - 1].asked = (int)(j - i);
			cur = e[i].start;
			k = 0;
		}
		st = &s.starts[s.nstarts - 1];
		land_record(st, (int)k++, (int)e[i].page, &rec);
		drain();
	}
	lp_warc_record_release(&rec);
	free(e);
}

static void
emit_page(struct page *pg)
{
	json_t *it;
	size_t i;
	struct lp_buf b = LP_BUF_INIT;
	struct lp_record rec;

	if (pg->items == NULL)
		return;
	json_array_foreach (pg->items, i, it) {
		json_object_set_new(it, "source",
		    json_pack("{s:s,s:s,s:i,s:I,s:I,s:o}", "site", s.site,
			"url", pg->url, "page", pg->n, "rank",
			(json_int_t)i + 1, "fetched_at", (json_int_t)pg->at,
			"http_status",
			pg->status ? json_integer(pg->status) : json_null()));
		lp_buf_reset(&b);
		lp_json_dump(it, &b);
		lp_record_init(&rec);
		if (lp_record_parse(&rec, b.p, b.len) == LP_OK)
			lp_run_emit(s.run, &rec);
		lp_record_release(&rec);
	}
	lp_buf_release(&b);
}

/* Write the head start's pages that are in, in order. */
static void
drain(void)
{
	while (s.head < s.nstarts) {
		struct start *st = &s.starts[s.head];

		while (st->emitted < st->got && st->pages[st->emitted].n > 0) {
			archive_page(st, &st->pages[st->emitted]);
			emit_page(&st->pages[st->emitted]);
			json_decref(st->pages[st->emitted].items);
			st->pages[st->emitted].items = NULL;
			st->emitted++;
		}
		if (st->got < st->asked || st->emitted < st->got)
			return;
		s.head++;
	}
}

static void
land(struct lp_fetch_result *r)
{
	struct ask *a = r->user;
	struct start *st = &s.starts[a->start];
	struct page *pg;
	char why[160];

	if (a->page > st->got)
		st->got = a->page;
	pg = &st->pages[a->page - 1];
	pg->n = a->page;
	pg->url = lp_xstrdup(r->final_url);
	pg->status = r->status;
	pg->at = lp_lineage_now(&s.run->lineage);
	s.n_pages++;
	lp_run_audit(s.run, "fetch",
	    json_pack("{s:s,s:i,s:i,s:I,s:f}", "url", r->url, "status",
		(int)r->status, "attempts", r->attempts, "bytes",
		(json_int_t)r->body.len, "ms", r->ms));
	if (s.have_warc && r->status > 0) {
		pg->req = r->request;
		memset(&r->request, 0, sizeof(r->request));
		response_block(&r->head, &r->body, &pg->resp);
		pg->asked = lp_xstrdup(r->url);
		snprintf(pg->ip, sizeof(pg->ip), "%s", r->ip);
	}
	if (r->why == LP_FETCH_ROBOTS) {
		lp_warnx("%s: robots.txt disallows it: not fetched", r->url);
		s.n_robots++;
	} else if (r->why != LP_FETCH_OK) {
		lp_warnx(
		    "%s: %s (after %d attempts)", r->url, r->err, r->attempts);
		s.n_failed++;
	} else if (to_utf8(&r->body, r->content_type, why, sizeof(why)) != 0) {
		lp_warnx("%s: %s", r->url, why);
		s.n_failed++;
	} else
		extract(st, pg, &r->body);
	free(a);
	lp_fetch_result_free(r);
}

/* ---- Starts. */

static char *
search_url(const char *query, int page)
{
	const char *t = lp_profile_str(s.profile, "search"), *p;
	struct lp_buf b = LP_BUF_INIT;

	if (t == NULL)
		lp_cli_usage("--query: the profile has no \"search\" URL");
	for (p = t; *p != '\0'; p++) {
		if (strncmp(p, "{query}", 7) == 0) {
			const char *q;

			for (q = query; *q != '\0'; q++) {
				unsigned char c = (unsigned char)*q;

				if (c == ' ')
					lp_buf_addc(&b, '+');
				else if ((c >= '0' && c <= '9') ||
				    ((c | 32) >= 'a' && (c | 32) <= 'z') ||
				    strchr("-._~", c) != NULL)
					lp_buf_addc(&b, (char)c);
				else
					lp_buf_addf(&b, "%%%02X", c);
			}
			p += 6;
		} else if (strncmp(p, "{page}", 6) == 0) {
			lp_buf_addf(&b, "%d", page);
			p += 5;
		} else
			lp_buf_addc(&b, *p);
	}
	lp_buf_addc(&b, '\0');
	return b.p;
}

static void
add_start(const char *url, int query)
{
	struct start *st;

	s.starts = lp_xrealloc(s.starts, sizeof(*s.starts) * (s.nstarts + 1));
	st = &s.starts[s.nstarts++];
	memset(st, 0, sizeof(*st));
	st->url = lp_xstrdup(url);
	st->query = query;
	st->pages = calloc((size_t)s.npages, sizeof(*st->pages));
	if (st->pages == NULL)
		abort();
}

/* A local file (or file:// URL): read and extracted at once. */
static void
read_file(struct start *st, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct lp_buf b = LP_BUF_INIT;
	struct stat sb;
	char buf[65536], why[160], abs[PATH_MAX + 8], real[PATH_MAX];
	size_t n;

	if (f == NULL)
		lp_err(LP_EXIT_IOERR, "cannot open '%s'", path);
	if (fstat(fileno(f), &sb) == 0 && sb.st_size > 0)
		lp_buf_grow(&b, (size_t)sb.st_size); /* one allocation */
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		lp_buf_add(&b, buf, n);
	if (ferror(f))
		lp_err(LP_EXIT_IOERR, "%s", path);
	fclose(f);
	st->is_file = 1;
	st->asked = st->got = 1;
	st->pages[0].n = 1;
	snprintf(abs, sizeof(abs), "file://%.*s", PATH_MAX - 1,
	    realpath(path, real) ? real : path);
	st->pages[0].url = lp_xstrdup(abs);
	st->pages[0].at = lp_lineage_now(&s.run->lineage);
	s.n_pages++;
	if (to_utf8(&b, NULL, why, sizeof(why)) != 0)
		lp_errx(LP_EXIT_DATAERR, "%s: %s", path, why);
	extract(st, &st->pages[0], &b);
	lp_buf_release(&b);
}

static int
check_robots(int argc, char **argv)
{
	FILE *f;
	struct lp_buf b = LP_BUF_INIT;
	char buf[65536];
	size_t n, i;
	struct lp_robots *r;
	int k;

	if (argc < 3)
		lp_cli_usage("--check-robots needs robots.txt, an agent and "
			     "URLs");
	if ((f = fopen(argv[0], "rb")) == NULL)
		lp_err(LP_EXIT_IOERR, "cannot open '%s'", argv[0]);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		lp_buf_add(&b, buf, n);
	fclose(f);
	r = lp_robots_parse(b.p ? b.p : "", b.len, argv[1]);
	for (i = 0; i < lp_robots_nwarnings(r); i++) {
		unsigned long line;
		const char *why = lp_robots_warning(r, i, &line);

		lp_warnx("%s:%lu: %s", argv[0], line, why);
	}
	for (k = 2; k < argc; k++) {
		const char *p = argv[k], *slash;

		/* The path and query of a URL; a path as it is. */
		if ((slash = strstr(p, "://")) != NULL)
			p = strchr(slash + 3, '/') ? strchr(slash + 3, '/')
						   : "/";
		printf("%s\t%s\n",
		    lp_robots_allowed(r, p) ? "allowed" : "disallowed",
		    argv[k]);
	}
	if (lp_robots_crawl_delay(r) >= 0)
		printf("crawl-delay\t%g\n", lp_robots_crawl_delay(r));
	lp_robots_free(r);
	lp_buf_release(&b);
	return fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_IOERR;
}

/* URLs from stdin: one a line, or records with a "url". */
static void
starts_from_stdin(struct lp_run *run)
{
	const char *line;
	size_t len;

	while (lp_reader_next(&run->in, &line, &len) == LP_OK) {
		char url[4096];

		while (
		    len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
			len--;
		if (len == 0)
			continue;
		if (line[0] == '{') {
			json_t *v = lp_json_load(line, len, 0, NULL);
			const char *u =
			    json_string_value(json_object_get(v, "url"));

			if (u == NULL)
				lp_warnx("%s:%lu: a record without a url",
				    lp_reader_name(&run->in),
				    lp_reader_lineno(&run->in));
			else
				add_start(u, 0);
			json_decref(v);
			continue;
		}
		snprintf(url, sizeof(url), "%.*s", (int)len, line);
		add_start(url, 0);
	}
}

/*
 * --warc: a new archive, or with --resume the one there, its pages indexed
 * for ask() and a record cut short by the interruption cut off.
 */
static void
open_archive(
    const char *path, int resume, struct lp_fetch_config *fc, const char *ua)
{
	struct lp_buf info = LP_BUF_INIT;
	struct stat sb;
	long long whole;
	size_t n;

	if (resume && stat(path, &sb) == 0) {
		s.archived = json_object();
		free(index_archive(path, &n, &whole));
		if (s.from.torn && truncate(path, (off_t)whole) != 0)
			lp_err(LP_EXIT_IOERR, "%s: cannot cut the torn record",
			    path);
		lp_debug("%s: %zu pages archived", path, n);
	}
	if (lp_warc_create(&s.warc, path, s.archived != NULL) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", s.warc.err);
	s.have_warc = 1;
	fc->keep_raw = 1;
	fc->exchange = on_exchange;
	lp_buf_addf(&info,
	    "software: lp-scrape/%s (labelpipe)\r\n"
	    "format: WARC File Format 1.1\r\n"
	    "conformsTo: "
	    "http://iipc.github.io/warc-specifications/specifications/"
	    "warc-format/warc-1.1/\r\n"
	    "robots: %s\r\nhttp-header-user-agent: %s\r\n",
	    LP_VERSION, fc->ignore_robots ? "ignore" : "obey", ua);
	if (lp_warc_put(&s.warc, "warcinfo", NULL,
		lp_lineage_now(&s.run->lineage), "application/warc-fields",
		NULL, info.p, info.len, NULL) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", s.warc.err);
	lp_buf_release(&info);
}

int
main(int argc, char **argv)
{
	struct lp_fetch_config fc;
	struct lp_run run;
	const char *profile_path = NULL, *contact = getenv("LP_CONTACT");
	const char *warc_path = NULL, *from_warc = NULL;
	int resume = 0;
	char ua[512], err[256], cfgtext[512];
	struct lp_error fetch_err;
	json_t *spec;
	int ch, status, check = 0;
	long long size;
	size_t i;

	memset(&fc, 0, sizeof(fc));
	fc.agent = "labelpipe";
	fc.delay = 1;
	fc.per_host = 2;
	fc.max_retries = 4;
	fc.timeout_ms = 30000;
	fc.max_bytes = 8u << 20;
	s.npages = 1;
	s.site = "ebay-uk";
	lp_cli_init(argc, argv, &tool);
	while ((ch = getopt_long(
		    argc, argv, LP_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_CHECK_ROBOTS:
			check = 1;
			break;
		case OPT_FROM_WARC:
			from_warc = optarg;
			break;
		case OPT_RESUME:
			resume = 1;
			break;
		case OPT_WARC:
			warc_path = optarg;
			break;
		case OPT_CONTACT:
			contact = optarg;
			break;
		case OPT_DELAY:
			fc.delay = strtod(optarg, NULL);
			if (!(fc.delay >= 0) || fc.delay > 3600)
				lp_cli_usage("invalid --delay '%s' (want 0 to "
					     "3600 seconds)",
				    optarg);
			break;
		case OPT_IGNORE_ROBOTS:
			fc.ignore_robots = 1;
			break;
		case OPT_MAX_PAGE:
			if ((size = lp_parse_size(optarg)) < 1024)
				lp_cli_usage("invalid --max-page '%s' (a size "
					     "such as 8M, at least 1k)",
				    optarg);
			fc.max_bytes = (size_t)size;
			break;
		case OPT_MAX_RETRIES:
			fc.max_retries =
			    (int)lp_cli_int("--max-retries", optarg, 0, 100);
			break;
		case OPT_PAGES:
			s.npages = (int)lp_cli_int("--pages", optarg, 1, 1000);
			break;
		case OPT_PER_HOST:
			fc.per_host =
			    (int)lp_cli_int("--per-host", optarg, 1, 64);
			break;
		case OPT_PROFILE:
			profile_path = optarg;
			break;
		case OPT_QUERY:
			s.query = optarg;
			break;
		case OPT_SITE:
			if (strcmp(optarg, "ebay-uk") != 0)
				lp_cli_usage("unknown --site '%s' (built in: "
					     "ebay-uk; or --profile FILE)",
				    optarg);
			break;
		case OPT_TIMEOUT:
			fc.timeout_ms =
			    lp_cli_int("--timeout", optarg, 1, 3600) * 1000;
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (check)
		return check_robots(argc, argv);
	if (resume && warc_path == NULL)
		lp_cli_usage("--resume goes with --warc FILE");
	if (from_warc != NULL &&
	    (warc_path != NULL || s.query != NULL || argc > 0))
		lp_cli_usage("--from-warc reads pages from the archive alone "
			     "(no --warc, --query or urls)");
	spec = profile_path != NULL
	    ? lp_cli_json_file(profile_path)
	    : json_loadb((const char *)lp_data_ebay_profile,
		  lp_data_ebay_profile_len, 0, NULL);
	if ((s.profile = lp_profile_new(spec, err, sizeof(err))) == NULL)
		lp_errx(LP_EXIT_DATAERR, "%s: %s",
		    profile_path ? profile_path : "built-in profile", err);
	if (lp_profile_str(s.profile, "site") != NULL)
		s.site = lp_profile_str(s.profile, "site");
	snprintf(ua, sizeof(ua), "lp-scrape/%s (labelpipe%s%s)", LP_VERSION,
	    contact ? "; +" : "", contact ? contact : "");
	fc.user_agent = ua;
	snprintf(cfgtext, sizeof(cfgtext), "profile=%s pages=%d query=%s",
	    lp_profile_str(s.profile, "version")
		? lp_profile_str(s.profile, "version")
		: "?",
	    s.npages, s.query ? s.query : "");
	s.run = &run;
	lp_run_open(&run, 0, NULL, cfgtext);
	if (fc.ignore_robots) {
		lp_warnx("--ignore-robots: robots.txt is not obeyed");
		lp_run_audit(&run, "robots_ignored",
		    json_pack("{s:s}", "user_agent", ua));
	}
	if (warc_path != NULL)
		open_archive(warc_path, resume, &fc, ua);
	if ((s.fetch = lp_fetch_new(&fc, &fetch_err)) == NULL)
		lp_errx(LP_EXIT_UNAVAILABLE, "%s", fetch_err.msg);
	if (from_warc != NULL)
		replay(from_warc);
	else if (s.query != NULL) {
		char *u = search_url(s.query, 1);

		add_start(u, 1);
		free(u);
	}
	for (i = 0; i < (size_t)argc; i++)
		add_start(argv[i], 0);
	if (s.query == NULL && argc == 0 && from_warc == NULL)
		starts_from_stdin(&run);
	for (i = 0; i < s.nstarts && from_warc == NULL; i++) {
		struct start *st = &s.starts[i];
		struct stat sb;

		if (strncmp(st->url, "file://", 7) == 0)
			read_file(st, st->url + 7);
		else if (strstr(st->url, "://") == NULL &&
		    stat(st->url, &sb) == 0)
			read_file(st, st->url);
		else {
			st->asked = 1;
			ask(i, 1, st->url);
		}
		if (s.blocked)
			break;
	}
	/* Pages in, in any order; written in order. */
	while (!s.blocked && !lp_interrupted) {
		struct lp_fetch_result *r;

		drain();
		if ((r = lp_fetch_wait(s.fetch)) == NULL)
			break;
		land(r);
	}
	drain();
	{
		long long req, retries, throttled;

		lp_fetch_counts(s.fetch, &req, &retries, &throttled);
		lp_run_count(&run, "pages", s.n_pages);
		lp_run_count(&run, "pages_failed", s.n_failed);
		lp_run_count(&run, "robots_disallowed", s.n_robots);
		lp_run_count(&run, "pages_repeated", s.n_repeated);
		lp_run_count(&run, "items_skipped", s.n_skipped);
		lp_run_count(&run, "pages_converted", s.n_converted);
		lp_run_count(&run, "pages_repaired", s.n_repaired);
		lp_run_count(&run, "http_requests", req);
		lp_run_count(&run, "http_retries", retries);
		lp_run_count(&run, "http_throttled", throttled);
		lp_run_count(&run, "pages_from_archive", s.n_archived);
	}
	if (s.have_warc && lp_warc_close(&s.warc) != LP_OK && !s.warc_failed) {
		lp_warnx("%s", s.warc.err);
		s.warc_failed = 1;
	}
	if (s.warc_failed)
		run.status = LP_EXIT_IOERR;
	if (s.blocked)
		status = lp_run_close(&run, LP_EXIT_UNAVAILABLE);
	else if (s.n_failed > 0 && s.n_failed == s.n_pages)
		status = lp_run_close(&run, LP_EXIT_UNAVAILABLE);
	else
		status = lp_run_close(&run,
		    s.n_failed + s.n_robots > 0 ? LP_EXIT_FAIL : LP_EXIT_OK);
	for (i = 0; i < s.nstarts; i++) {
		int k;

		for (k = 0; k < s.npages; k++) {
			json_decref(s.starts[i].pages[k].items);
			free(s.starts[i].pages[k].url);
			free(s.starts[i].pages[k].ids);
			lp_buf_release(&s.starts[i].pages[k].req);
			lp_buf_release(&s.starts[i].pages[k].resp);
			free(s.starts[i].pages[k].asked);
		}
		free(s.starts[i].pages);
		free(s.starts[i].url);
	}
	free(s.starts);
	lp_fetch_free(s.fetch);
	if (s.from.path != NULL)
		lp_warc_reader_close(&s.from);
	json_decref(s.archived);
	lp_buf_release(&s.pruned);
	lp_profile_free(s.profile);
	json_decref(spec);
	return status;
}
