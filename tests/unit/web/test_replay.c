/*
 * Replay: an archive written as lp-scrape writes it (warcinfo, robots.txt,
 * pages with their LP- fields, out of order) and one of another tool's,
 * indexed in the order the pages belong in, found by URL, read back; an
 * archive cut short, a damaged one, a missing one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/status.h"
#include "web/replay.h"
#include "test.h"

#define T0 1700000000000LL

/* One response record: an HTTP answer, with LP- fields when start >= 0. */
static void
put_page(struct lp_warc *w, long long start, int page, const char *url,
    const char *answer)
{
	struct lp_buf req = LP_BUF_INIT, resp = LP_BUF_INIT, more = LP_BUF_INIT;

	lp_buf_adds(&req, "GET / HTTP/1.1\r\n\r\n");
	lp_buf_adds(&resp, answer);
	if (start >= 0)
		lp_replay_fields(&more, (size_t)start, page, url);
	assert_eq_int(lp_warc_put_exchange(
			  w, url, T0 + page, "127.0.0.1", &req, &resp, more.p),
	    LP_OK);
	lp_buf_release(&req);
	lp_buf_release(&resp);
	lp_buf_release(&more);
}

static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; "
			 "charset=utf-8\r\n\r\n<p>page</p>";

/* Our pages out of order, robots.txt, another tool's pages after them. */
static char *
write_crawl(void)
{
	char *p = tmpfile_with("", 0);
	struct lp_warc w;

	assert_eq_int(lp_warc_create(&w, p, 0), LP_OK);
	assert_eq_int(
	    lp_warc_put_warcinfo(&w, T0, "lp-test", 1, "lp-test/1"), LP_OK);
	put_page(&w, -1, 0, "https://a.test/robots.txt",
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nUser-agent: *");
	put_page(&w, 1, 1, "https://a.test/s?q=b", ok);
	put_page(&w, 0, 2, "https://a.test/s?q=a&p=2", ok);
	put_page(&w, 0, 1, "https://a.test/s?q=a", ok);
	put_page(&w, -1, 0, "https://b.test/x", ok);
	put_page(&w, -1, 0, "https://b.test/gone",
	    "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n");
	assert_eq_int(lp_warc_close(&w), LP_OK);
	return p;
}

TEST(index_in_order)
{
	char *p = write_crawl();
	struct lp_replay rp;
	struct lp_warc_record rec;
	long long off;

	memset(&rec, 0, sizeof(rec));
	assert_eq_int(lp_replay_open(&rp, p), LP_OK);
	assert_eq_int(lp_replay_index(&rp, 1), LP_OK);
	assert_eq_int(rp.torn, 0);
	/* Three pages of ours, one of another tool's (not robots.txt, not
	 * the 404). */
	assert_eq_int(rp.n, 4);
	assert_eq_int(rp.most, 2);
	assert_eq_int(rp.e[0].start, 0);
	assert_eq_int(rp.e[0].page, 1);
	assert_eq_int(rp.e[1].page, 2);
	assert_eq_int(rp.e[2].start, 1);
	assert_true(rp.e[3].start >= 1LL << 40);
	assert_eq_int(lp_replay_group(&rp, 0), 2);
	assert_eq_int(lp_replay_group(&rp, 2), 1);
	assert_eq_int(
	    lp_replay_read(&rp, rp.e[1].offset, rp.e[1].skip, &rec), LP_OK);
	assert_eq_str(rec.target, "https://a.test/s?q=a&p=2");
	assert_eq_int(rec.at_ms, T0 + 2);
	assert_eq_int(
	    lp_replay_read(&rp, rp.e[3].offset, rp.e[3].skip, &rec), LP_OK);
	assert_eq_str(rec.target, "https://b.test/x");
	/* By the URL asked for (--resume). */
	assert_true(lp_replay_find(&rp, "https://a.test/s?q=b", &off));
	assert_eq_int(off, rp.e[2].offset);
	assert_true(!lp_replay_find(&rp, "https://b.test/x", &off));
	lp_replay_close(&rp);
	/* Not by URL: nothing found. */
	assert_eq_int(lp_replay_open(&rp, p), LP_OK);
	assert_eq_int(lp_replay_index(&rp, 0), LP_OK);
	assert_true(!lp_replay_find(&rp, "https://a.test/s?q=b", &off));
	lp_replay_close(&rp);
	lp_replay_close(&rp); /* twice is harmless */
	lp_warc_record_release(&rec);
	unlink(p);
	free(p);
}

TEST(response)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_warc_record rec;
	char ctype[128];
	long status = 0;
	size_t bo;

	memset(&rec, 0, sizeof(rec));
	lp_buf_adds(&rec.block, ok);
	assert_eq_int(
	    lp_replay_response(&rec, &status, ctype, sizeof(ctype), &bo, &err),
	    LP_OK);
	assert_eq_int(status, 200);
	assert_eq_str(ctype, "text/html; charset=utf-8");
	assert_eq_str(rec.block.p + bo, "<p>page</p>");
	lp_buf_reset(&rec.block);
	lp_buf_adds(&rec.block, "HTTP/1.1 503 Busy\r\n\r\n");
	assert_eq_int(
	    lp_replay_response(&rec, &status, ctype, sizeof(ctype), &bo, &err),
	    LP_FAILED);
	assert_eq_int(status, 503);
	assert_eq_str(err.msg, "HTTP 503 (archived)");
	lp_buf_reset(&rec.block);
	lp_buf_adds(&rec.block, "GET / HTTP/1.1\r\n\r\n");
	assert_eq_int(
	    lp_replay_response(&rec, &status, ctype, sizeof(ctype), &bo, &err),
	    LP_FAILED);
	assert_eq_str(err.msg, "the archived response is not HTTP");
	lp_warc_record_release(&rec);
}

TEST(fields)
{
	struct lp_buf b = LP_BUF_INIT;

	lp_replay_fields(&b, 3, 2, "https://a.test/?q=x");
	assert_eq_str(b.p,
	    "LP-Start: 3\r\nLP-Page: 2\r\nLP-URL: https://a.test/?q=x\r\n");
	lp_buf_reset(&b);
	lp_replay_fields(&b, 0, 1, NULL);
	assert_eq_str(b.p, "LP-Start: 0\r\nLP-Page: 1\r\n");
	lp_buf_release(&b);
}

/* An interrupted crawl: the pages before the cut are indexed. */
TEST(torn)
{
	char *p = write_crawl();
	long full = file_size(p);
	struct lp_replay rp;

	assert_eq_int(truncate(p, full - 20), 0);
	assert_eq_int(lp_replay_open(&rp, p), LP_OK);
	assert_eq_int(lp_replay_index(&rp, 1), LP_OK);
	assert_eq_int(rp.torn, 1);
	assert_true(rp.whole > 0 && rp.whole < full - 20);
	assert_true(strstr(rp.err.msg, "(cut short)") != NULL);
	assert_eq_int(rp.n, 4); /* the 404 was the record cut */
	lp_replay_close(&rp);
	unlink(p);
	free(p);
}

TEST(damaged_and_missing)
{
	char *p = tmpfile_with("WARC/1.1\r\n", 10);
	struct lp_replay rp;

	assert_eq_int(lp_replay_open(&rp, p), LP_OK);
	assert_eq_int(lp_replay_index(&rp, 0), LP_FAILED);
	assert_true(strstr(rp.err.msg,
			": record 1 at byte 0: not a gzip "
			"member") != NULL);
	lp_replay_close(&rp);
	unlink(p);
	free(p);
	assert_eq_int(lp_replay_open(&rp, "/nonexistent/a.warc.gz"), LP_FAILED);
	assert_eq_str(
	    rp.err.msg, "/nonexistent/a.warc.gz: No such file or directory");
	lp_replay_close(&rp);
}

RUN_TESTS()
