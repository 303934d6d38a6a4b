#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/status.h"
#include "web/warc.h"
#include "test.h"

static const char resp_text[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; "
				"charset=utf-8\r\n\r\n<html>caf\xc3\xa9</html>";

static char *
write_three(int append, const char *path)
{
	struct lp_warc w;
	char id[48];
	char *p = path ? strdup(path) : tmpfile_with("", 0);

	assert_eq_int(lp_warc_create(&w, p, append), LP_OK);
	assert_eq_int(
	    lp_warc_put(&w, "warcinfo", NULL, 1700000000123LL,
		"application/warc-fields", NULL, "software: t\r\n", 13, NULL),
	    LP_OK);
	assert_eq_int(lp_warc_put(&w, "request", "https://example.org/a?b=1",
			  1700000000123LL, "application/http;msgtype=request",
			  NULL, "GET /a?b=1 HTTP/1.1\r\n\r\n", 23, id),
	    LP_OK);
	assert_true(strncmp(id, "urn:uuid:", 9) == 0 && strlen(id) == 45);
	assert_eq_int(
	    lp_warc_put(&w, "response", "https://example.org/a?b=1",
		1700000000123LL, "application/http;msgtype=response",
		"LP-Page: 2\r\n", resp_text, sizeof(resp_text) - 1, NULL),
	    LP_OK);
	assert_eq_int(lp_warc_close(&w), LP_OK);
	return p;
}

TEST(write_and_read_back)
{
	char *p = write_three(0, NULL), v[64];
	struct lp_warc_reader r;
	struct lp_warc_record rec;
	long status;
	size_t hl, bo;

	memset(&rec, 0, sizeof(rec));
	assert_eq_int(lp_warc_reader_open(&r, p), LP_OK);
	assert_eq_int(lp_warc_next(&r, &rec), LP_OK);
	assert_eq_str(rec.type, "warcinfo");
	assert_eq_int(rec.offset, 0);
	assert_eq_int(lp_warc_next(&r, &rec), LP_OK);
	assert_eq_str(rec.type, "request");
	assert_true(rec.offset > 0);
	assert_eq_int(lp_warc_next(&r, &rec), LP_OK);
	assert_eq_str(rec.type, "response");
	assert_eq_str(rec.target, "https://example.org/a?b=1");
	assert_eq_int(rec.at_ms, 1700000000123LL);
	assert_true(
	    lp_header_field(rec.head.p, rec.head.len, "lp-page", v, sizeof(v)));
	assert_eq_str(v, "2");
	assert_true(lp_header_field(
	    rec.head.p, rec.head.len, "WARC-Block-Digest", v, sizeof(v)));
	assert_true(strncmp(v, "sha256:", 7) == 0);
	assert_eq_mem(
	    rec.block.p, rec.block.len, resp_text, sizeof(resp_text) - 1);
	assert_eq_int(lp_http_response_split(
			  rec.block.p, rec.block.len, &status, &hl, &bo),
	    LP_OK);
	assert_eq_int(status, 200);
	assert_eq_str(rec.block.p + bo, "<html>caf\xc3\xa9</html>");
	assert_eq_int(lp_warc_next(&r, &rec), LP_EOF);
	assert_eq_int(r.consumed, file_size(p));
	/* Back to a record by its offset. */
	assert_eq_int(lp_warc_seek(&r, 0, 0), LP_OK);
	assert_eq_int(lp_warc_next(&r, &rec), LP_OK);
	assert_eq_str(rec.type, "warcinfo");
	lp_warc_reader_close(&r);
	lp_warc_record_release(&rec);
	unlink(p);
	free(p);
}

/* Any gzip reader sees one WARC stream; equal input, equal bytes. */
TEST(plain_gzip_and_reproducible)
{
	char *a = write_three(0, NULL), *b = write_three(0, NULL);
	char buf[4096], cmd[256];
	gzFile g = gzopen(a, "rb");
	int n = gzread(g, buf, sizeof(buf) - 1);

	gzclose(g);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_true(
	    strncmp(buf, "WARC/1.1\r\nWARC-Type: warcinfo\r\n", 31) == 0);
	assert_true(strstr(buf, "WARC-Type: response") != NULL);
	snprintf(cmd, sizeof(cmd), "cmp -s %s %s", a, b);
	assert_eq_int(system(cmd), 0);
	unlink(a);
	unlink(b);
	free(a);
	free(b);
}

/* A crash mid-record: reported as torn, with the length of the rest. */
TEST(torn_and_damaged)
{
	char *p = write_three(0, NULL);
	long full = file_size(p), whole;
	struct lp_warc_reader r;
	struct lp_warc_record rec;
	FILE *f;

	memset(&rec, 0, sizeof(rec));
	assert_eq_int(truncate(p, full - 10), 0);
	assert_eq_int(lp_warc_reader_open(&r, p), LP_OK);
	assert_eq_int(lp_warc_next(&r, &rec), LP_OK);
	assert_eq_int(lp_warc_next(&r, &rec), LP_OK);
	whole = (long)r.consumed;
	assert_eq_int(lp_warc_next(&r, &rec), LP_FAILED);
	assert_true(r.torn);
	assert_true(strstr(r.err.msg, ": record 3 at byte ") != NULL);
	assert_true(strstr(r.err.msg, "ends inside this record") != NULL);
	assert_eq_int(r.consumed, whole);
	lp_warc_reader_close(&r);
	/* Appending after the whole part gives a whole archive again. */
	assert_eq_int(truncate(p, whole), 0);
	free(write_three(1, p));
	assert_eq_int(lp_warc_reader_open(&r, p), LP_OK);
	while (lp_warc_next(&r, &rec) == LP_OK)
		;
	assert_eq_int((long long)r.n, 5);
	assert_true(!r.torn && r.err.msg[0] == '\0');
	lp_warc_reader_close(&r);
	/* Not gzip at all. */
	f = fopen(p, "wb");
	fputs("WARC/1.1\r\n", f);
	fclose(f);
	assert_eq_int(lp_warc_reader_open(&r, p), LP_OK);
	assert_eq_int(lp_warc_next(&r, &rec), LP_FAILED);
	assert_true(strstr(r.err.msg, "not a gzip member") != NULL);
	lp_warc_reader_close(&r);
	lp_warc_record_release(&rec);
	unlink(p);
	free(p);
}

TEST(bad_records)
{
	static const char *const bad[] = {"HTTP/1.1 200 OK\r\n\r\n",
	    "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 99\r\n\r\nab"
	    "\r\n\r\n",
	    "WARC/1.1\r\nContent-Length: 0\r\n\r\n\r\n\r\n",
	    "WARC/1.1\r\nWARC-Type: response\r\n\r\n\r\n\r\n",
	    "WARC/1.1\r\nWARC-Type: x\r\nContent-Length: 1",
	    "WARC/1.1\r\nWARC-Type: x\r\nContent-Length: "
	    "99999999999999999999\r\n\r\nab\r\n\r\n"};
	static const char *const why[] = {"no WARC/1.x version line",
	    "the block is shorter than its Content-Length", "no WARC-Type",
	    "no valid Content-Length", "the header never ends",
	    "the block is shorter than its Content-Length"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *p = tmpfile_with("", 0);
		gzFile g = gzopen(p, "wb");
		struct lp_warc_reader r;
		struct lp_warc_record rec;

		memset(&rec, 0, sizeof(rec));
		gzwrite(g, bad[i], (unsigned)strlen(bad[i]));
		gzclose(g);
		assert_eq_int(lp_warc_reader_open(&r, p), LP_OK);
		assert_eq_int(lp_warc_next(&r, &rec), LP_FAILED);
		assert_true(strstr(r.err.msg, why[i]) != NULL);
		lp_warc_reader_close(&r);
		lp_warc_record_release(&rec);
		unlink(p);
		free(p);
	}
}

/* A response as archived: the encodings undone, the decoded length. */
TEST(response_block)
{
	struct lp_buf head = LP_BUF_INIT, body = LP_BUF_INIT, out = LP_BUF_INIT;

	lp_buf_adds(&head,
	    "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
	    "Content-Type: text/html\r\nContent-Length: 9\r\n"
	    "transfer-encoding: chunked\r\n\r\n");
	lp_buf_adds(&body, "<p>hi</p>\n");
	lp_warc_response_block(&head, &body, &out);
	assert_eq_mem(out.p, out.len,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
	    "Content-Length: 10\r\n\r\n<p>hi</p>\n",
	    (size_t)74);
	lp_buf_release(&head);
	lp_buf_release(&body);
	lp_buf_release(&out);
}

/* A response block split: status, head and body; what is not HTTP. */
TEST(response_split)
{
	static const char ok[] = "HTTP/2 404\r\nA: b\r\n\r\nbody";
	long status = 0;
	size_t hl = 0, bo = 0;

	assert_eq_int(
	    lp_http_response_split(ok, sizeof(ok) - 1, &status, &hl, &bo),
	    LP_OK);
	assert_eq_int(status, 404);
	assert_eq_int(hl, 18);
	assert_eq_str(ok + bo, "body");
	assert_eq_int(lp_http_response_split(
			  "HTTP/1.1 20x\r\n\r\n", 16, &status, &hl, &bo),
	    LP_FAILED);
	assert_eq_int(lp_http_response_split(
			  "HTTP/1.1 200 OK\r\n", 17, &status, &hl, &bo),
	    LP_FAILED);
	assert_eq_int(
	    lp_http_response_split("<html>\r\n\r\n", 10, &status, &hl, &bo),
	    LP_FAILED);
}

/* An exchange: the request, then the response linked to it. */
TEST(exchange_and_warcinfo)
{
	char *p = tmpfile_with("", 0), v[128], id[64];
	struct lp_buf req = LP_BUF_INIT, resp = LP_BUF_INIT;
	struct lp_warc_reader r;
	struct lp_warc_record rec;
	struct lp_warc w;

	memset(&rec, 0, sizeof(rec));
	lp_buf_adds(&req, "GET /a HTTP/1.1\r\n\r\n");
	lp_buf_adds(&resp, resp_text);
	assert_eq_int(lp_warc_create(&w, p, 0), LP_OK);
	assert_eq_int(lp_warc_put_warcinfo(
			  &w, 1700000000000LL, "lp-test", 0, "lp-test/1 (x)"),
	    LP_OK);
	assert_eq_int(
	    lp_warc_put_exchange(&w, "https://e.test/a", 1700000000000LL,
		"10.0.0.1", &req, &resp, "LP-Page: 1\r\n"),
	    LP_OK);
	/* No request (an answer fetched before): the response alone. */
	lp_buf_reset(&req);
	assert_eq_int(lp_warc_put_exchange(&w, "https://e.test/b",
			  1700000000000LL, NULL, &req, &resp, NULL),
	    LP_OK);
	assert_eq_int(lp_warc_close(&w), LP_OK);
	assert_eq_int(lp_warc_reader_open(&r, p), LP_OK);
	assert_eq_int(lp_warc_next(&r, &rec), LP_OK);
	assert_eq_str(rec.type, "warcinfo");
	assert_true(strstr(rec.block.p, "software: lp-test/") != NULL);
	assert_true(strstr(rec.block.p, "robots: ignore\r\n") != NULL);
	assert_true(strstr(rec.block.p,
			"http-header-user-agent: lp-test/1 "
			"(x)\r\n") != NULL);
	assert_eq_int(lp_warc_next(&r, &rec), LP_OK);
	assert_eq_str(rec.type, "request");
	assert_true(lp_header_field(
	    rec.head.p, rec.head.len, "WARC-Record-ID", id, sizeof(id)));
	assert_true(lp_header_field(
	    rec.head.p, rec.head.len, "WARC-IP-Address", v, sizeof(v)));
	assert_eq_str(v, "10.0.0.1");
	assert_eq_int(lp_warc_next(&r, &rec), LP_OK);
	assert_eq_str(rec.type, "response");
	assert_true(lp_header_field(
	    rec.head.p, rec.head.len, "WARC-Concurrent-To", v, sizeof(v)));
	assert_eq_str(v, id);
	assert_true(
	    lp_header_field(rec.head.p, rec.head.len, "LP-Page", v, sizeof(v)));
	assert_eq_int(lp_warc_next(&r, &rec), LP_OK);
	assert_eq_str(rec.type, "response");
	assert_eq_str(rec.target, "https://e.test/b");
	assert_true(!lp_header_field(
	    rec.head.p, rec.head.len, "WARC-Concurrent-To", v, sizeof(v)));
	assert_eq_int(lp_warc_next(&r, &rec), LP_EOF);
	lp_warc_reader_close(&r);
	lp_warc_record_release(&rec);
	lp_buf_release(&req);
	lp_buf_release(&resp);
	unlink(p);
	free(p);
}

/* RFC 4648's vectors. */
TEST(base32)
{
	char out[32];

	lp_warc_base32((const unsigned char *)"", 0, out);
	assert_eq_str(out, "");
	lp_warc_base32((const unsigned char *)"f", 1, out);
	assert_eq_str(out, "MY======");
	lp_warc_base32((const unsigned char *)"fooba", 5, out);
	assert_eq_str(out, "MZXW6YTB");
	lp_warc_base32((const unsigned char *)"foobar", 6, out);
	assert_eq_str(out, "MZXW6YTBOI======");
}

/* The digest of what follows the HTTP head, the body alone. */
TEST(payload_digest)
{
	char pd[64];

	lp_warc_payload_digest(resp_text, sizeof(resp_text) - 1, pd);
	assert_eq_str(pd,
	    "sha256:AYTRZCQTDCG2VF4SCA6A6ZASGY7JH3SWXJHY3ZDEKLBAXEX"
	    "PGT3A====");
	lp_warc_payload_digest("HTTP/1.1 204 No Content\r\n\r\n", 27, pd);
	assert_eq_str(pd,
	    "sha256:4OYMIQUY7QOBJGX36TEJS35ZEQT24QPEMSNZGTFESWMRW6C"
	    "SXBKQ====");
}

/* Version 5 and variant 10xx, whatever the digest's digits. */
TEST(record_id_bits)
{
	static const char *hex[] = {
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	    "9b2c1d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e"};
	char id[48];
	size_t i;

	for (i = 0; i < 3; i++) {
		lp_warc_uuid(hex[i], id, sizeof(id));
		assert_eq_int((int)strlen(id), 45);
		assert_true(strncmp(id, "urn:uuid:", 9) == 0);
		assert_true(id[9 + 14] == '5');
		assert_true(strchr("89ab", id[9 + 19]) != NULL);
		assert_true(id[9 + 8] == '-' && id[9 + 13] == '-' &&
		    id[9 + 18] == '-' && id[9 + 23] == '-');
	}
	lp_warc_uuid(hex[2], id, sizeof(id));
	assert_eq_str(id, "urn:uuid:9b2c1d3e-4f5a-5b7c-8d9e-0f1a2b3c4d5e");
	lp_warc_uuid(hex[1], id, sizeof(id));
	assert_eq_str(id, "urn:uuid:ffffffff-ffff-5fff-bfff-ffffffffffff");
}

/* A response record carries the payload digest; an archive, ids. */
TEST(exchange_payload_digest)
{
	struct lp_warc w;
	struct lp_buf req = LP_BUF_INIT, resp = LP_BUF_INIT;
	char *p = tmpfile_with("", 0);
	char all[8192];
	size_t n;
	gzFile gz;

	lp_buf_adds(&req, "GET / HTTP/1.1\r\n\r\n");
	lp_buf_adds(&resp, resp_text);
	assert_eq_int(lp_warc_create(&w, p, 0), LP_OK);
	assert_eq_int(lp_warc_put_exchange(&w, "http://x/", 1700000000000LL,
			  NULL, &req, &resp, NULL),
	    LP_OK);
	assert_eq_int(lp_warc_close(&w), LP_OK);
	gz = gzopen(p, "rb");
	n = (size_t)gzread(gz, all, sizeof(all) - 1);
	gzclose(gz);
	all[n] = '\0';
	assert_true(strstr(all,
			"WARC-Payload-Digest: sha256:AYTRZCQTDCG2VF4SCA6"
			"A6ZASGY7JH3SWXJHY3ZDEKLBAXEXPGT3A====\r\n") != NULL);
	/* Once: on the response, not the request. */
	assert_true(strstr(strstr(all, "WARC-Payload-Digest"),
			"WARC-Type: "
			"request") == NULL);
	lp_buf_release(&req);
	lp_buf_release(&resp);
	unlink(p);
	free(p);
}

RUN_TESTS()
