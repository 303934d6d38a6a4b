/*
 * The crawl: search URLs, starts from lines, saved pages read at once
 * (tests/data/scrape, and the real eBay pages in ../shared/fixtures/ebay
 * when they are there), fetched pages landing out of order and leaving
 * in order, next pages asked for, a repeated page ending its start, bot
 * checks, charsets, and pages from an archive.
 */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/data.h"
#include "core/status.h"
#include "web/crawl.h"
#include "test.h"

#define T0 1700000000000LL

static struct lp_lineage lg;
static json_t *spec;
static struct lp_profile *profile;

static const char *data(const char *name);

static void
setup(void)
{
	struct lp_error err = LP_ERROR_INIT;

	if (profile != NULL)
		return;
	/* The pages are found through LP_TEST_DATA, as CTest sets it. */
	if (access(data("classic.html"), R_OK) != 0) {
		fprintf(stderr, "no test pages at %s (LP_TEST_DATA)\n",
		    data("classic.html"));
		exit(77);
	}
	lg.fixed_time = 1;
	lg.epoch_ms = T0;
	spec = json_loadb((const char *)lp_data_ebay_profile,
	    lp_data_ebay_profile_len, 0, NULL);
	profile = lp_profile_new(spec, &err);
	assert_true(profile != NULL);
}

/* A saved test page's path (tests/data/scrape). */
static const char *
data(const char *name)
{
	static char path[PATH_MAX];
	const char *dir = getenv("LP_TEST_DATA");

	snprintf(
	    path, sizeof(path), "%s/scrape/%s", dir ? dir : "tests/data", name);
	return path;
}

static void
slurp(const char *path, struct lp_buf *b)
{
	FILE *f = fopen(path, "rb");
	char buf[4096];
	size_t n;

	lp_buf_reset(b);
	assert_true(f != NULL);
	if (f == NULL)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		lp_buf_add(b, buf, n);
	fclose(f);
}

/* The ids of the records a page makes, with page and rank, in order. */
static void
records(struct lp_crawl *c, struct lp_crawl_page *pg, struct lp_buf *out)
{
	struct lp_buf scratch = LP_BUF_INIT;
	struct lp_record rec;
	size_t i;

	for (i = 0; i < json_array_size(pg->items); i++) {
		json_t *src;

		lp_record_init(&rec);
		assert_eq_int(lp_crawl_record(c, pg, i, &scratch, &rec), LP_OK);
		src = json_object_get(lp_record_root(&rec), "source");
		lp_buf_addf(out, "%s@%d.%d ",
		    json_string_value(
			json_object_get(lp_record_root(&rec), "id")),
		    (int)json_integer_value(json_object_get(src, "page")),
		    (int)json_integer_value(json_object_get(src, "rank")));
		lp_record_release(&rec);
	}
	lp_buf_release(&scratch);
}

TEST(search_url)
{
	json_t *bare =
	    json_loads("{\"item\": \"li\", \"fields\": []}", 0, NULL);
	struct lp_error err = LP_ERROR_INIT;
	struct lp_profile *p;
	char *u;

	setup();
	u = lp_crawl_search_url(profile, "iphone 13 \"pro\"/~x", 2);
	assert_eq_str(u,
	    "https://www.ebay.co.uk/sch/i.html?_nkw=iphone+13+"
	    "%22pro%22%2F~x&_pgn=2");
	free(u);
	p = lp_profile_new(bare, &err);
	assert_true(lp_crawl_search_url(p, "x", 1) == NULL);
	lp_profile_free(p);
	json_decref(bare);
}

TEST(local_path_and_lines)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_crawl c;

	setup();
	assert_eq_str(lp_crawl_local_path("file:///tmp/x.html"), "/tmp/x.html");
	assert_eq_str(
	    lp_crawl_local_path(data("classic.html")), data("classic.html"));
	assert_true(lp_crawl_local_path("https://www.ebay.co.uk/") == NULL);
	/* A path that is not there is still a path (issue 25): reading it
	 * says so, not that it is no URL. */
	assert_eq_str(lp_crawl_local_path("/nonexistent/page.html"),
	    "/nonexistent/page.html");
	assert_eq_str(lp_crawl_local_path("page.html"), "page.html");
	lp_crawl_init(&c, profile, "ebay-uk", NULL, 1, &lg);
	assert_eq_int(
	    lp_crawl_add_line(&c, "https://a.test/1 \r", 18, &err), LP_OK);
	assert_eq_int(lp_crawl_add_line(&c, "  ", 2, &err), LP_OK);
	assert_eq_int(
	    lp_crawl_add_line(&c, "{\"url\":\"https://a.test/2\"}", 26, &err),
	    LP_OK);
	assert_eq_int(
	    lp_crawl_add_line(&c, "{\"nourl\":1}", 11, &err), LP_FAILED);
	assert_eq_str(err.msg, "a record without a url");
	assert_eq_int(c.nstarts, 2);
	assert_eq_str(c.starts[0].url, "https://a.test/1");
	assert_eq_str(c.starts[1].url, "https://a.test/2");
	lp_crawl_release(&c);
}

/* Saved pages: read at once, placeholders skipped, charsets. */
TEST(files)
{
	struct lp_buf out = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	struct lp_crawl_page *pg;
	struct lp_crawl c;
	char url[PATH_MAX + 8], real[PATH_MAX];
	size_t i;

	setup();
	lp_crawl_init(&c, profile, "ebay-uk", NULL, 1, &lg);
	lp_crawl_add_start(&c, data("classic.html"), 0);
	lp_crawl_add_start(&c, data("latin1.html"), 0);
	lp_crawl_add_start(&c, data("empty.html"), 0);
	for (i = 0; i < 3; i++)
		assert_eq_int(lp_crawl_begin(&c, i, &pg, &err), LP_OK);
	assert_true(lp_crawl_next_ask(&c) == NULL); /* files: no next page */
	pg = lp_crawl_ready(&c);
	assert_true(pg != NULL && pg->status == 0 && pg->at == T0);
	snprintf(url, sizeof(url), "file://%s",
	    realpath(data("classic.html"), real) ? real : "");
	assert_eq_str(pg->url, url);
	records(&c, pg, &out);
	lp_crawl_written(&c);
	assert_true(strncmp(out.p, "ebay-uk:265012345678@1.1 ", 25) == 0);
	assert_eq_int(c.counts.skipped, 2);
	pg = lp_crawl_ready(&c);
	assert_eq_int(json_array_size(pg->items), 1);
	lp_crawl_written(&c);
	assert_eq_int(c.counts.converted, 1);
	pg = lp_crawl_ready(&c);
	assert_true(pg->no_results && !pg->blocked);
	lp_crawl_written(&c);
	assert_true(lp_crawl_ready(&c) == NULL);
	assert_eq_int(c.counts.pages, 3);
	lp_crawl_release(&c);
	lp_buf_release(&out);
}

TEST(bad_files)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_crawl_page *pg;
	struct lp_crawl c;
	char want[PATH_MAX + 64];

	setup();
	lp_crawl_init(&c, profile, "ebay-uk", NULL, 1, &lg);
	lp_crawl_add_start(&c, data("sjis.html"), 0);
	lp_crawl_add_start(&c, "file:///nonexistent/x.html", 0);
	lp_crawl_add_start(&c, data("blocked.html"), 0);
	assert_eq_int(lp_crawl_begin(&c, 0, &pg, &err), LP_FAILED);
	snprintf(want, sizeof(want),
	    "%s: the page is in shift_jis, not UTF-8 or Latin-1",
	    data("sjis.html"));
	assert_eq_str(err.msg, want);
	assert_eq_int(c.counts.failed, 1);
	assert_eq_int(lp_crawl_begin(&c, 1, &pg, &err), LP_FATAL);
	assert_eq_str(err.msg,
	    "cannot open '/nonexistent/x.html': No such file or directory");
	assert_eq_int(lp_crawl_begin(&c, 2, &pg, &err), LP_OK);
	assert_true(pg->blocked && c.blocked);
	assert_true(pg->items == NULL);
	lp_crawl_release(&c);
}

/* Fetched pages land in any order and leave in order; next pages. */
TEST(order_and_next_pages)
{
	struct lp_buf body = LP_BUF_INIT, out = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	struct lp_crawl_ask *a0, *a1, *a;
	struct lp_crawl_page *pg;
	struct lp_crawl c;

	setup();
	lp_crawl_init(&c, profile, "ebay-uk", NULL, 3, &lg);
	lp_crawl_add_start(&c, "https://www.ebay.co.uk/sch/i.html?a", 0);
	lp_crawl_add_start(&c, "https://www.ebay.co.uk/sch/i.html?b", 0);
	assert_eq_int(lp_crawl_begin(&c, 0, &pg, &err), LP_EOF);
	assert_eq_int(lp_crawl_begin(&c, 1, &pg, &err), LP_EOF);
	a0 = lp_crawl_next_ask(&c);
	a1 = lp_crawl_next_ask(&c);
	assert_true(a0 != NULL && a1 != NULL && lp_crawl_next_ask(&c) == NULL);
	assert_eq_int(a1->start, 1);
	assert_eq_int(a1->n, 1);
	/* The second start's first page first: nothing leaves yet. */
	slurp(data("classic.html"), &body);
	pg = lp_crawl_page_in(&c, 1, 0, 1, a1->url, 200, -1);
	assert_eq_int(lp_crawl_read(&c, pg, &body, "text/html", &err), LP_OK);
	assert_true(lp_crawl_ready(&c) == NULL);
	a = lp_crawl_next_ask(&c);
	assert_eq_str(a->url, "https://www.ebay.co.uk/sch/page2.html");
	assert_eq_int(a->start, 1);
	assert_eq_int(a->n, 2);
	lp_crawl_ask_free(a);
	/* Start 0: page 1, then page 2, then page 3 repeating page 2. */
	pg = lp_crawl_page_in(&c, 0, 0, 1, a0->url, 200, -1);
	lp_crawl_read(&c, pg, &body, NULL, &err);
	a = lp_crawl_next_ask(&c);
	slurp(data("page2.html"), &body);
	pg = lp_crawl_page_in(&c, 0, 1, 2, a->url, 200, -1);
	lp_crawl_ask_free(a);
	lp_crawl_read(&c, pg, &body, NULL, &err);
	a = lp_crawl_next_ask(&c);
	assert_eq_str(a->url, "https://www.ebay.co.uk/sch/page3.html");
	pg = lp_crawl_page_in(&c, 0, 2, 3, a->url, 200, -1);
	lp_crawl_ask_free(a);
	lp_crawl_read(&c, pg, &body, NULL, &err);
	assert_eq_int(c.counts.repeated, 1);
	assert_true(pg->items == NULL && lp_crawl_next_ask(&c) == NULL);
	while ((pg = lp_crawl_ready(&c)) != NULL) {
		records(&c, pg, &out);
		lp_crawl_written(&c);
	}
	/* Start 0 whole; start 1 waits for its page 2. */
	assert_eq_str(out.p,
	    "ebay-uk:265012345678@1.1 ebay-uk:265099999999@1.2 "
	    "ebay-uk:265011111111@1.3 ebay-uk:265022222222@1.4 "
	    "ebay-uk:275000000001@2.1 ebay-uk:275000000002@2.2 "
	    "ebay-uk:265012345678@1.1 ebay-uk:265099999999@1.2 "
	    "ebay-uk:265011111111@1.3 ebay-uk:265022222222@1.4 ");
	assert_eq_int(c.head, 1);
	lp_crawl_ask_free(a0);
	lp_crawl_ask_free(a1);
	lp_crawl_release(&c);
	lp_buf_release(&body);
	lp_buf_release(&out);
}

/* The search's next page when the page gives no link. */
TEST(search_next_page)
{
	struct lp_buf body = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	struct lp_crawl_page *pg;
	struct lp_crawl_ask *a;
	struct lp_crawl c;
	char *at;

	setup();
	lp_crawl_init(&c, profile, "ebay-uk", "tv", 2, &lg);
	assert_eq_int(lp_crawl_add_search(&c), LP_OK);
	assert_eq_str(c.starts[0].url,
	    "https://www.ebay.co.uk/sch/i.html?_nkw=tv&_pgn=1");
	slurp(data("classic.html"), &body);
	if ((at = strstr(body.p, "pagination__next")) != NULL)
		memcpy(at, "pagination__none", 16);
	pg = lp_crawl_page_in(&c, 0, 0, 1, c.starts[0].url, 200, -1);
	assert_eq_int(lp_crawl_read(&c, pg, &body, NULL, &err), LP_OK);
	a = lp_crawl_next_ask(&c);
	assert_true(a != NULL);
	assert_eq_str(
	    a->url, "https://www.ebay.co.uk/sch/i.html?_nkw=tv&_pgn=2");
	lp_crawl_ask_free(a);
	lp_crawl_release(&c);
	lp_buf_release(&body);
}

/* Archived pages: replayed in order, found by URL when resuming. */
TEST(archived)
{
	struct lp_buf body = LP_BUF_INIT, req = LP_BUF_INIT, head = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	struct lp_crawl_ask ask = {0, 1, NULL, NULL};
	char *p = tmpfile_with("", 0);
	struct lp_warc_record rec;
	struct lp_crawl_page *pg;
	struct lp_replay rp;
	struct lp_crawl c;
	struct lp_warc w;

	setup();
	memset(&rec, 0, sizeof(rec));
	/* A crawl of one page, archived in its turn. */
	lp_crawl_init(&c, profile, "ebay-uk", NULL, 1, &lg);
	lp_crawl_add_start(&c, "https://www.ebay.co.uk/sch/i.html", 0);
	slurp(data("classic.html"), &body);
	lp_buf_adds(&req, "GET /sch/i.html HTTP/1.1\r\n\r\n");
	lp_buf_adds(
	    &head, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n");
	pg = lp_crawl_page_in(&c, 0, 0, 1, c.starts[0].url, 200, -1);
	lp_crawl_page_keep(pg, &req, &head, &body, c.starts[0].url, "::1");
	assert_true(req.p == NULL && req.len == 0); /* taken */
	lp_crawl_read(&c, pg, &body, NULL, &err);
	assert_eq_int(lp_warc_create(&w, p, 0), LP_OK);
	assert_true((pg = lp_crawl_ready(&c)) != NULL);
	assert_eq_int(lp_crawl_archive(pg, &w), LP_OK);
	lp_crawl_written(&c);
	assert_eq_int(lp_warc_close(&w), LP_OK);
	lp_crawl_release(&c);
	/* --from-warc */
	assert_eq_int(lp_replay_open(&rp, p), LP_OK);
	assert_eq_int(lp_replay_index(&rp, 1), LP_OK);
	assert_eq_int(rp.n, 1);
	lp_crawl_init(&c, profile, "ebay-uk", NULL, rp.most, &lg);
	assert_eq_int(lp_crawl_replay(&c, &rp, 0, &rec, &pg, &err), LP_OK);
	assert_eq_int(json_array_size(pg->items), 4);
	assert_true(c.starts[0].is_file && pg->at == T0 && pg->status == 200);
	assert_eq_int(c.counts.archived, 1);
	lp_crawl_release(&c);
	/* --resume: the page asked for is there; another is not. */
	lp_crawl_init(&c, profile, "ebay-uk", NULL, 2, &lg);
	lp_crawl_add_start(&c, "https://www.ebay.co.uk/sch/i.html", 0);
	ask.url = c.starts[0].url;
	assert_eq_int(lp_crawl_resume(&c, &rp, &ask, &rec, &pg, &err), LP_OK);
	assert_eq_int(json_array_size(pg->items), 4);
	ask.url = "https://www.ebay.co.uk/sch/other.html";
	assert_eq_int(lp_crawl_resume(&c, &rp, &ask, &rec, &pg, &err), LP_EOF);
	lp_crawl_release(&c);
	lp_replay_close(&rp);
	lp_warc_record_release(&rec);
	lp_buf_release(&body);
	lp_buf_release(&head);
	unlink(p);
	free(p);
}

/* The real saved eBay pages: each page's listings, in order. */
TEST(ebay_fixtures)
{
	const char *dir = getenv("LP_EBAY_FIXTURES");
	struct lp_error err = LP_ERROR_INIT;
	struct lp_buf out = LP_BUF_INIT;
	struct lp_crawl_page *pg;
	struct lp_crawl c;
	char path[1024], first[128];
	json_t *truth, *page;
	size_t i;

	setup();
	snprintf(path, sizeof(path), "%s/truth.json", dir ? dir : ".");
	if (dir == NULL || (truth = json_load_file(path, 0, NULL)) == NULL) {
		fprintf(stderr, "(no saved eBay pages: %s)\n", path);
		return;
	}
	lp_crawl_init(&c, profile, "ebay-uk", NULL, 1, &lg);
	json_array_foreach (truth, i, page) {
		snprintf(path, sizeof(path), "%s/%s", dir,
		    json_string_value(json_object_get(page, "file")));
		lp_crawl_add_start(&c, path, 0);
		assert_eq_int(lp_crawl_begin(&c, i, &pg, &err), LP_OK);
		pg = lp_crawl_ready(&c);
		assert_true(pg != NULL);
		if (pg == NULL)
			break;
		assert_eq_int(json_array_size(pg->items),
		    json_integer_value(json_object_get(page, "items")));
		lp_buf_reset(&out);
		records(&c, pg, &out);
		snprintf(first, sizeof(first), "ebay-uk:%s@1.1 ",
		    json_string_value(json_object_get(
			json_array_get(json_object_get(page, "first"), 0),
			"item_id")));
		assert_true(
		    out.p != NULL && strncmp(out.p, first, strlen(first)) == 0);
		lp_crawl_written(&c);
	}
	lp_crawl_release(&c);
	lp_buf_release(&out);
	json_decref(truth);
}

/*
 * Issue 25: --max-page holds for every way a page comes in: a file is
 * read no further than the limit, a page handed in is not parsed.
 */
TEST(max_page)
{
	struct lp_buf body = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	struct lp_crawl_page *pg;
	struct lp_crawl c;
	char want[PATH_MAX + 64];

	setup();
	lp_crawl_init(&c, profile, "ebay-uk", NULL, 1, &lg);
	c.max_page = 1024;
	lp_crawl_add_start(&c, data("classic.html"), 0);
	lp_crawl_add_start(&c, "https://a.test/big", 0);
	lp_crawl_add_start(&c, "/dev/zero", 0); /* no end, no size */
	assert_eq_int(lp_crawl_begin(&c, 0, &pg, &err), LP_FAILED);
	snprintf(want, sizeof(want), "%s: the page is larger than 1024 bytes",
	    data("classic.html"));
	assert_eq_str(err.msg, want);
	assert_eq_int(lp_crawl_begin(&c, 1, &pg, &err), LP_EOF);
	slurp(data("classic.html"), &body);
	pg = lp_crawl_page_in(&c, 1, 0, 1, "https://a.test/big", 200, -1);
	assert_eq_int(lp_crawl_read(&c, pg, &body, NULL, &err), LP_FAILED);
	assert_eq_str(err.msg, "the page is larger than 1024 bytes");
	assert_true(pg->items == NULL);
	assert_eq_int(lp_crawl_begin(&c, 2, &pg, &err), LP_FAILED);
	assert_eq_str(err.msg, "/dev/zero: the page is larger than 1024 bytes");
	assert_eq_int(c.counts.failed, 3);
	lp_crawl_release(&c);
	lp_buf_release(&body);
}

/*
 * Issue 25: hostile pages read in bounded time and memory, and the
 * listings outside the hostile part are still found: 100,000 nested
 * elements, 30,000 never closed, a NUL in a class name.
 */
TEST(hostile_pages)
{
	static const char *const parts[][3] = {{"<div>", "</div>", ""},
	    {"<div>", "", "</div>"}, {"<li class=\"s-card\0\">", "", ""},
	    {"<span><div></span>", "", ""}};
	static const size_t reps[] = {100000, 30000, 1000, 30000};
	struct lp_buf page = LP_BUF_INIT, body = LP_BUF_INIT;
	struct lp_error err = LP_ERROR_INIT;
	struct lp_crawl_page *pg;
	struct lp_crawl c;
	size_t i, k;

	setup();
	slurp(data("classic.html"), &page);
	for (i = 0; i < sizeof(reps) / sizeof(*reps); i++) {
		lp_crawl_init(&c, profile, "ebay-uk", NULL, 1, &lg);
		lp_crawl_add_start(&c, "https://a.test/", 0);
		lp_buf_reset(&body);
		lp_buf_add(&body, page.p, page.len);
		for (k = 0; k < reps[i]; k++)
			lp_buf_add(&body, parts[i][0],
			    i == 2 ? 20 : strlen(parts[i][0]));
		for (k = 0; k < reps[i]; k++)
			lp_buf_adds(&body, parts[i][1]);
		pg = lp_crawl_page_in(&c, 0, 0, 1, "https://a.test/", 200, -1);
		assert_eq_int(lp_crawl_read(&c, pg, &body, NULL, &err), LP_OK);
		assert_eq_int(json_array_size(pg->items), 4);
		lp_crawl_release(&c);
	}
	lp_buf_release(&page);
	lp_buf_release(&body);
}

RUN_TESTS()
