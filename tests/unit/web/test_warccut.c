#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/status.h"
#include "web/warc.h"
#include "web/warccut.h"
#include "test.h"

static const char item[] = "http://x/itm/123";
static const char results[] = "http://x/sch/page1.html";

/* An archive: warcinfo, the item page's exchange, a results page. */
static char *
archive(void)
{
	char *path = tmpfile_with("", 0);
	struct lp_warc w;
	struct lp_buf req = LP_BUF_INIT, resp = LP_BUF_INIT;

	assert_eq_int(lp_warc_create(&w, path, 0), LP_OK);
	assert_eq_int(lp_warc_put_warcinfo(&w, 0, "lp-test/1", 1, "ua"), LP_OK);
	lp_buf_addf(&req, "GET /itm/123 HTTP/1.1\r\nHost: x\r\n\r\n");
	lp_buf_addf(&resp,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
	    "Content-Length: 20\r\n\r\n<p>item 123 page</p>");
	assert_eq_int(
	    lp_warc_put_exchange(&w, item, 0, NULL, &req, &resp, NULL), LP_OK);
	lp_buf_reset(&resp);
	lp_buf_addf(&resp,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
	    "Content-Length: 28\r\n\r\n<a href=/itm/123>a</a> <a/>");
	assert_eq_int(
	    lp_warc_put_exchange(&w, results, 0, NULL, &req, &resp, NULL),
	    LP_OK);
	assert_eq_int(lp_warc_close(&w), LP_OK);
	lp_buf_release(&req);
	lp_buf_release(&resp);
	return path;
}

/* The records of the archive at path, as "type target" lines. */
static void
listing(const char *path, struct lp_buf *out)
{
	struct lp_warc_reader r;
	struct lp_warc_record rec;

	memset(&rec, 0, sizeof(rec));
	assert_eq_int(lp_warc_reader_open(&r, path), LP_OK);
	while (lp_warc_next(&r, &rec) == LP_OK)
		lp_buf_addf(out, "%s %s\n", rec.type, rec.target);
	lp_warc_record_release(&rec);
	lp_warc_reader_close(&r);
}

TEST(cut_item_page_keep_results)
{
	char *path = archive();
	json_t *uris = json_pack("[s]", item),
	       *needles = json_pack("[s]", "/itm/123");
	json_t *kept = json_array();
	struct lp_error err = LP_ERROR_INIT;
	struct lp_buf l = LP_BUF_INIT;
	struct stat st;
	long cut;

	chmod(path, 0640);
	assert_eq_int(
	    lp_warc_cut(path, uris, needles, &cut, kept, &err), LP_OK);
	assert_eq_int(cut, 2);
	assert_eq_int(json_array_size(kept), 1);
	assert_eq_str(json_string_value(json_array_get(kept, 0)), results);
	listing(path, &l);
	assert_eq_str(l.p,
	    "warcinfo \nrequest http://x/sch/page1.html\n"
	    "response http://x/sch/page1.html\n");
	assert_true(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
	/* Again: nothing to cut, the file stays. */
	assert_eq_int(
	    lp_warc_cut(path, uris, needles, &cut, kept, &err), LP_OK);
	assert_eq_int(cut, 0);
	lp_buf_release(&l);
	json_decref(uris);
	json_decref(needles);
	json_decref(kept);
	unlink(path);
	free(path);
}

TEST(damaged)
{
	char *path = tmpfile_with("not a warc at all\n", 18);
	json_t *none = json_array(), *kept = json_array();
	struct lp_error err = LP_ERROR_INIT;
	long cut;

	assert_true(lp_warc_cut(path, none, none, &cut, kept, &err) != LP_OK);
	assert_true(err.msg[0] != '\0');
	json_decref(none);
	json_decref(kept);
	unlink(path);
	free(path);
}

RUN_TESTS()
