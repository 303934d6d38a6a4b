/*
 * The transfer engine: its retry policy (which ends are retried, the
 * backoff with its jitter and Retry-After), and its event loop through real
 * HTTP to a scripted server on a thread of this process: callbacks, a
 * retry after a 503, a body over its limit (also one that only inflates
 * past it), a POST that is never sent twice behind the client's back, and
 * cancelling what is in flight.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "core/clock.h"
#include "core/error.h"
#include "web/header.h"
#include "web/transfer.h"
#include "httpd.h"
#include "test.h"

static const struct lp_transfer_policy fetch_like = {
    .max_retries = 3,
    .first = 1.0,
    .cap = 60.0,
    .retry_after_max = 120.0,
    .clamp_retry_after = 1,
};

static const struct lp_transfer_policy sdk_like = {
    .max_retries = 5,
    .first = 0.5,
    .cap = 8.0,
    .retry_after_max = 60.0,
    .retry_409 = 1,
    .retry_after_ms = 1,
};

static struct lp_transfer *
engine(const struct lp_transfer_policy *p)
{
	struct lp_transfer_config cfg = {0};
	struct lp_error err = LP_ERROR_INIT;
	struct lp_transfer *t;

	cfg.user_agent = "test/1";
	cfg.timeout_ms = 5000;
	cfg.max_connects = 4;
	cfg.retry = *p;
	t = lp_transfer_new(&cfg, &err);
	assert_true(t != NULL);
	return t;
}

TEST(backoff)
{
	/* Doubling from first, the jitter taking up to a quarter off. */
	assert_true(lp_transfer_backoff(&sdk_like, 1, -1, 0) == 0.5);
	assert_true(lp_transfer_backoff(&sdk_like, 3, -1, 0) == 2);
	assert_true(lp_transfer_backoff(&sdk_like, 3, -1, 0.5) == 1.75);
	assert_true(lp_transfer_backoff(&sdk_like, 9, -1, 0) == 8);
	assert_true(lp_transfer_backoff(&fetch_like, 9, -1, 0) == 60);
	assert_true(lp_transfer_backoff(&fetch_like, 9, -1, 0.999) > 45);
	/* The server's word, when it gives one, without jitter. */
	assert_true(lp_transfer_backoff(&sdk_like, 1, 30, 0.9) == 30);
	assert_true(lp_transfer_backoff(&sdk_like, 1, 0, 0.9) == 0);
	/* Too long: ignored for the backoff, or cut to the most allowed. */
	assert_true(lp_transfer_backoff(&sdk_like, 2, 61, 0) == 1);
	assert_true(lp_transfer_backoff(&fetch_like, 2, 500, 0) == 120);
}

TEST(retryable)
{
	struct lp_transfer *f = engine(&fetch_like), *s = engine(&sdk_like);
	struct lp_transfer_end e = {0};
	static const long yes[] = {408, 429, 500, 502, 503, 504};
	static const long no[] = {200, 301, 400, 401, 403, 404};
	size_t i;

	e.kind = LP_TRANSFER_ANSWERED;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		e.status = yes[i];
		assert_true(lp_transfer_retryable(f, &e));
		assert_true(lp_transfer_retryable(s, &e));
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		e.status = no[i];
		assert_true(!lp_transfer_retryable(f, &e));
		assert_true(!lp_transfer_retryable(s, &e));
	}
	/* 409 only where the client says so. */
	e.status = 409;
	assert_true(!lp_transfer_retryable(f, &e));
	assert_true(lp_transfer_retryable(s, &e));
	/* Network errors, but those waiting cannot mend. */
	e.kind = LP_TRANSFER_NO_ANSWER;
	e.status = 0;
	e.cc = CURLE_OPERATION_TIMEDOUT;
	assert_true(lp_transfer_retryable(f, &e));
	e.cc = CURLE_COULDNT_CONNECT;
	assert_true(lp_transfer_retryable(s, &e));
	e.cc = CURLE_URL_MALFORMAT;
	assert_true(!lp_transfer_retryable(f, &e));
	e.cc = CURLE_PEER_FAILED_VERIFICATION;
	assert_true(!lp_transfer_retryable(s, &e));
	assert_true(lp_transfer_permanent(CURLE_TOO_MANY_REDIRECTS));
	assert_true(!lp_transfer_permanent(CURLE_RECV_ERROR));
	e.kind = LP_TRANSFER_TOO_LARGE;
	e.status = 200;
	assert_true(!lp_transfer_retryable(f, &e));
	lp_transfer_free(f);
	lp_transfer_free(s);
}

TEST(again)
{
	struct lp_transfer *f = engine(&fetch_like), *s = engine(&sdk_like);
	struct lp_xfer x;
	double d = -1;

	memset(&x, 0, sizeof(x));
	x.retry_after = x.retry_after_ms = -1;
	x.attempts = 1;
	assert_true(!lp_transfer_again(f, &x, 0, &d));
	assert_true(lp_transfer_again(f, &x, 1, &d));
	assert_true(d > 0.75 && d <= 1);
	/* max_retries after the first attempt. */
	x.attempts = 4;
	assert_true(!lp_transfer_again(f, &x, 1, &d));
	x.attempts = 5;
	assert_true(lp_transfer_again(s, &x, 1, &d));
	x.attempts = 6;
	assert_true(!lp_transfer_again(s, &x, 1, &d));
	/* retry-after-ms wins where the client reads it. */
	x.attempts = 1;
	x.retry_after = 7;
	x.retry_after_ms = 0.25;
	assert_true(lp_transfer_again(s, &x, 1, &d) && d == 0.25);
	assert_true(lp_transfer_again(f, &x, 1, &d) && d == 7);
	lp_transfer_free(f);
	lp_transfer_free(s);
}

/* A client job: what its callbacks saw. */
struct job {
	struct lp_xfer x; /* first */
	struct lp_transfer *t;
	char url[64];
	int ends, cancelled, saw_header, again;
	enum lp_transfer_kind kind;
	long status;
	double not_before;
};

static void
on_header(struct lp_xfer *x, const char *line, size_t len)
{
	struct job *j = (struct job *)x;
	char v[16];

	if (lp_header_status(line, len) < 0 &&
	    lp_header_match(line, len, "x-test", v, sizeof(v)))
		j->saw_header = strcmp(v, "yes") == 0;
}

static void
on_done(struct lp_xfer *x, const struct lp_transfer_end *e)
{
	struct job *j = (struct job *)x;
	double delay;

	j->ends++;
	j->kind = e->kind;
	j->status = e->status;
	j->cancelled = e->kind == LP_TRANSFER_CANCELLED;
	assert_true(x->easy == NULL && e->easy != NULL);
	if (!j->cancelled &&
	    lp_transfer_again(
		j->t, x, lp_transfer_retryable(j->t, e), &delay)) {
		j->again = 1;
		j->not_before = e->now + delay;
	}
}

static void
job_start(struct job *j)
{
	lp_transfer_easy(j->t, &j->x, j->url);
	j->again = 0;
	lp_transfer_start(j->t, &j->x, lp_clock());
}

/* Run j to its end (retrying as the policy says) within 5 s. */
static void
run(struct job *j)
{
	double until = lp_clock() + 5;

	job_start(j);
	while (lp_clock() < until) {
		if (lp_transfer_running(j->t) > 0)
			lp_transfer_step(j->t, 0.1);
		else if (j->again && lp_clock() >= j->not_before)
			job_start(j);
		else if (!j->again)
			break;
	}
}

static void
job_init(struct job *j, struct lp_transfer *t, int port, size_t max)
{
	memset(j, 0, sizeof(*j));
	j->t = t;
	j->x.done = on_done;
	j->x.header = on_header;
	j->x.max_body = max;
	snprintf(j->url, sizeof(j->url), "http://127.0.0.1:%d/p", port);
}

TEST(retry_then_answer)
{
	static const char *const replies[] = {
	    "HTTP/1.1 503 Busy\r\nRetry-After: 0\r\nContent-Length: 4\r\n"
	    "Connection: close\r\n\r\nbusy",
	    "HTTP/1.1 200 OK\r\nX-Test:  yes \r\nContent-Length: 5\r\n"
	    "Connection: close\r\n\r\nhello",
	    NULL};
	struct lp_transfer *t = engine(&fetch_like);
	struct server s;
	struct job j;

	server_start(&s, replies);
	job_init(&j, t, s.port, 0);
	run(&j);
	assert_eq_int(j.ends, 2);
	assert_eq_int(j.x.attempts, 2);
	assert_eq_int(j.kind, LP_TRANSFER_ANSWERED);
	assert_eq_int(j.status, 200);
	assert_true(j.saw_header);
	assert_eq_mem(j.x.body.p, j.x.body.len, "hello", 5);
	assert_eq_int(lp_transfer_running(t), 0);
	server_stop(&s);
	assert_eq_int(s.served, 2);
	lp_buf_release(&j.x.body);
	lp_transfer_free(t);
}

TEST(too_large)
{
	static const char *const replies[] = {
	    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n"
	    "Connection: close\r\n\r\n0123456789",
	    NULL};
	struct lp_transfer *t = engine(&fetch_like);
	struct server s;
	struct job j;

	server_start(&s, replies);
	job_init(&j, t, s.port, 4);
	run(&j);
	assert_eq_int(j.ends, 1);
	assert_eq_int(j.kind, LP_TRANSFER_TOO_LARGE);
	assert_true(j.x.body.len <= 4);
	server_stop(&s);
	lp_buf_release(&j.x.body);
	lp_transfer_free(t);
}

TEST(cancel)
{
	struct lp_transfer *t = engine(&fetch_like);
	struct server s;
	struct job j;
	int i;

	/* A server that listens and never answers. */
	server_start(&s, NULL);
	job_init(&j, t, s.port, 0);
	job_start(&j);
	for (i = 0; i < 5; i++)
		lp_transfer_step(t, 0.01);
	assert_eq_int(j.ends, 0);
	assert_eq_int(lp_transfer_running(t), 1);
	lp_transfer_free(t);
	assert_eq_int(j.ends, 1);
	assert_true(j.cancelled);
	server_stop(&s);
	lp_buf_release(&j.x.body);
}

/* ---- Bodies: a gzip reply counted decoded, a POST never sent twice. */

/* Read one request (head, and a body of Content-Length) from c; 0 at EOF. */
static int
read_request(int c)
{
	char req[8192];
	size_t n = 0;
	const char *end, *cl;

	for (;;) {
		ssize_t k = read(c, req + n, sizeof(req) - 1 - n);

		if (k <= 0)
			return 0;
		n += (size_t)k;
		req[n] = '\0';
		if ((end = strstr(req, "\r\n\r\n")) != NULL) {
			size_t want = (size_t)(end - req) + 4;

			if ((cl = strstr(req, "Content-Length:")) != NULL)
				want += strtoul(cl + 15, NULL, 10);
			if (n >= want)
				return 1;
		}
	}
}

/* 1 MB of spaces, gzip'd: a few kilobytes on the wire. */
static void *
serve_bomb(void *arg)
{
	struct server *s = arg;
	static unsigned char spaces[1 << 20], gz[1 << 16];
	char head[256];
	uLongf n = sizeof(gz);
	z_stream z;
	int c, hl;

	memset(spaces, ' ', sizeof(spaces));
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = spaces;
	z.avail_in = sizeof(spaces);
	z.next_out = gz;
	z.avail_out = (uInt)n;
	deflate(&z, Z_FINISH);
	n = sizeof(gz) - z.avail_out;
	deflateEnd(&z);
	if ((c = accept(s->fd, NULL, NULL)) < 0)
		return NULL;
	read_request(c);
	hl = snprintf(head, sizeof(head),
	    "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
	    "Content-Length: %lu\r\nConnection: close\r\n\r\n",
	    (unsigned long)n);
	if (write(c, head, (size_t)hl) == hl && write(c, gz, n) == (ssize_t)n)
		s->served++;
	close(c);
	return NULL;
}

TEST(too_large_decoded)
{
	struct lp_transfer *t = engine(&fetch_like);
	struct server s;
	struct job j;

	server_start(&s, NULL);
	pthread_create(&s.th, NULL, serve_bomb, &s);
	job_init(&j, t, s.port, 64 << 10);
	run(&j);
	assert_eq_int(j.ends, 1);
	assert_eq_int(j.kind, LP_TRANSFER_TOO_LARGE);
	assert_true(j.x.body.len <= 64 << 10);
	pthread_join(s.th, NULL);
	assert_eq_int(s.served, 1);
	server_stop(&s);
	lp_buf_release(&j.x.body);
	lp_transfer_free(t);
}

/*
 * One connection: the first request answered and the connection kept;
 * the second read, then the connection reset with no answer.  Requests
 * on later connections (libcurl sending it again) are counted in served
 * beyond the first and answered.
 */
static void *
serve_then_reset(void *arg)
{
	static const char ok[] =
	    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	struct server *s = arg;
	struct linger l = {1, 0};
	struct pollfd p;
	int c;

	if ((c = accept(s->fd, NULL, NULL)) < 0)
		return NULL;
	if (read_request(c) && write(c, ok, sizeof(ok) - 1) > 0)
		s->served++;
	if (read_request(c))
		s->served++;
	setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(c);
	p.fd = s->fd;
	p.events = POLLIN;
	while (poll(&p, 1, 500) == 1 && (c = accept(s->fd, NULL, NULL)) >= 0) {
		if (read_request(c)) {
			s->served++;
			if (write(c, ok, sizeof(ok) - 1) < 0)
				break;
		}
		close(c);
	}
	return NULL;
}

static void
post_start(struct job *j)
{
	static const char body[] = "{\"model\":\"m\"}";

	lp_transfer_easy(j->t, &j->x, j->url);
	lp_transfer_post(&j->x, body, sizeof(body) - 1);
	lp_transfer_start(j->t, &j->x, lp_clock());
}

TEST(post_not_sent_twice)
{
	struct lp_transfer *t = engine(&fetch_like);
	struct server s;
	struct job a, b;
	int i;

	server_start(&s, NULL);
	pthread_create(&s.th, NULL, serve_then_reset, &s);
	job_init(&a, t, s.port, 0);
	job_init(&b, t, s.port, 0);
	post_start(&a);
	for (i = 0; i < 100 && a.ends == 0; i++)
		lp_transfer_step(t, 0.05);
	assert_eq_int(a.status, 200);
	/* On the kept connection, which dies after the request went out. */
	post_start(&b);
	for (i = 0; i < 100 && b.ends == 0; i++)
		lp_transfer_step(t, 0.05);
	assert_eq_int(b.ends, 1);
	assert_eq_int(b.kind, LP_TRANSFER_NO_ANSWER);
	assert_eq_int(b.x.attempts, 1);
	pthread_join(s.th, NULL);
	/* Two requests reached the server: the second was not sent again. */
	assert_eq_int(s.served, 2);
	server_stop(&s);
	lp_buf_release(&a.x.body);
	lp_buf_release(&b.x.body);
	lp_transfer_free(t);
}

RUN_TESTS()
