/*
 * The polite fetcher through real HTTP to scripted servers on threads of
 * this process (two servers are two hosts): a stop flag ends a wait for a
 * stalled server or a Retry-After at once, and a redirect to another host
 * is fetched only after, and as, that host's robots.txt allows.  Also
 * lp_url_resolve().
 */
#include <signal.h>
#include <sys/time.h>

#include "core/clock.h"
#include "core/error.h"
#include "web/fetch.h"
#include "httpd.h"
#include "test.h"

/* ---- The fetcher, and a stop flag a timer sets. */

static volatile sig_atomic_t stop;

static void
on_alarm(int sig)
{
	(void)sig;
	stop = 1;
}

/* Set stop after ms milliseconds (SIGALRM, as a user's SIGINT would). */
static void
stop_after(int ms)
{
	struct itimerval it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	stop = 0;
	setitimer(ITIMER_REAL, &it, NULL);
}

static struct lp_fetch *
fetcher(int robots)
{
	struct lp_fetch_config cfg = {0};
	struct lp_error err = LP_ERROR_INIT;
	struct lp_fetch *f;

	cfg.agent = "labelpipe";
	cfg.user_agent = "test/1";
	cfg.per_host = 2;
	cfg.max_retries = 3;
	cfg.timeout_ms = 20000;
	cfg.ignore_robots = !robots;
	cfg.stop = &stop;
	f = lp_fetch_new(&cfg, &err);
	assert_true(f != NULL);
	return f;
}

static void
url(char *out, size_t n, const struct server *s, const char *path)
{
	snprintf(out, n, "http://127.0.0.1:%d%s", s->port, path);
}

/* A server that answers nothing at all: the wait ends with the flag. */
TEST(stop_stalled)
{
	static const char *const stall[] = {"", NULL};
	struct lp_fetch *f = fetcher(0);
	struct server s;
	char u[128];
	double t0;

	server_start(&s, stall);
	url(u, sizeof(u), &s, "/slow.html");
	lp_fetch_add(f, u, NULL);
	stop_after(300);
	t0 = lp_clock();
	assert_true(lp_fetch_wait(f) == NULL);
	assert_true(stop == 1);
	assert_true(lp_clock() - t0 < 1.3);
	lp_fetch_free(f);
	server_stop(&s);
}

/* A Retry-After of 100000 s: cut to two minutes, and the flag ends it. */
TEST(stop_retry_after)
{
	static const char *const busy[] = {
	    "HTTP/1.1 503 Busy\r\nRetry-After: 100000\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n",
	    NULL};
	struct lp_fetch *f = fetcher(0);
	struct server s;
	char u[128];
	double t0;

	server_start(&s, busy);
	url(u, sizeof(u), &s, "/busy.html");
	lp_fetch_add(f, u, NULL);
	stop_after(500);
	t0 = lp_clock();
	assert_true(lp_fetch_wait(f) == NULL);
	assert_true(lp_clock() - t0 < 1.5);
	assert_eq_int(s.served, 1);
	lp_fetch_free(f);
	server_stop(&s);
}

static const char robots_404[] =
    "HTTP/1.1 404 Not Found\r\n"
    "Content-Length: 0\r\nConnection: close\r\n\r\n";
static const char page[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
    "Content-Length: 5\r\nConnection: close\r\n\r\nhello";

/* A: robots.txt (404: all allowed), then 302 to B's /x.html. */
static void
redirector(struct server *a, const char **replies, char *loc, size_t n,
    const struct server *b)
{
	snprintf(loc, n,
	    "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:%d/x.html\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n",
	    b->port);
	replies[0] = robots_404;
	replies[1] = loc;
	replies[2] = NULL;
	server_start(a, replies);
}

static struct lp_fetch_result *
fetch_one(const struct server *a, const char *path)
{
	struct lp_fetch *f = fetcher(1);
	struct lp_fetch_result *r;
	char u[128];

	url(u, sizeof(u), a, path);
	stop = 0;
	lp_fetch_add(f, u, NULL);
	r = lp_fetch_wait(f);
	assert_true(r != NULL);
	assert_true(lp_fetch_wait(f) == NULL);
	lp_fetch_free(f);
	return r;
}

TEST(redirect_disallowed)
{
	static const char *const b_replies[] = {
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	    "Content-Length: 25\r\nConnection: close\r\n\r\n"
	    "User-agent: *\nDisallow: /",
	    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", NULL};
	const char *a_replies[3];
	struct server a, b;
	struct lp_fetch_result *r;
	char loc[256], want[256];

	server_start(&b, b_replies);
	redirector(&a, a_replies, loc, sizeof(loc), &b);
	r = fetch_one(&a, "/go.html");
	assert_eq_int(r->why, LP_FETCH_ROBOTS);
	snprintf(want, sizeof(want),
	    "redirected to http://127.0.0.1:%d/x.html: robots.txt of "
	    "127.0.0.1:%d disallows /x.html",
	    b.port, b.port);
	assert_eq_str(r->err, want);
	/* B was asked its robots.txt, and nothing else. */
	assert_eq_int(b.served, 1);
	assert_eq_str(b.paths[0], "/robots.txt");
	assert_eq_str(a.paths[1], "/go.html");
	lp_fetch_result_free(r);
	server_stop(&a);
	server_stop(&b);
}

TEST(redirect_allowed)
{
	static const char *const b_replies[] = {robots_404, page, NULL};
	const char *a_replies[3];
	struct server a, b;
	struct lp_fetch_result *r;
	char loc[256], want[128];

	server_start(&b, b_replies);
	redirector(&a, a_replies, loc, sizeof(loc), &b);
	r = fetch_one(&a, "/go.html");
	assert_eq_int(r->why, LP_FETCH_OK);
	assert_eq_mem(r->body.p, r->body.len, "hello", (size_t)5);
	url(want, sizeof(want), &a, "/go.html");
	assert_eq_str(r->url, want);
	url(want, sizeof(want), &b, "/x.html");
	assert_eq_str(r->final_url, want);
	assert_eq_int(r->attempts, 2);
	/* robots.txt of B first, then the page. */
	assert_eq_str(b.paths[0], "/robots.txt");
	assert_eq_str(b.paths[1], "/x.html");
	lp_fetch_result_free(r);
	server_stop(&a);
	server_stop(&b);
}

TEST(url_resolve)
{
	char *u;

	u = lp_url_resolve("http://h:8080/sch/a.html?x=1", "b.html");
	assert_eq_str(u, "http://h:8080/sch/b.html");
	free(u);
	u = lp_url_resolve("http://h/sch/a.html", "/itm/1?y#z");
	assert_eq_str(u, "http://h/itm/1?y#z");
	free(u);
	u = lp_url_resolve("http://h/a", "https://other.example/p");
	assert_eq_str(u, "https://other.example/p");
	free(u);
}

RUN_TESTS()
