/*
 * The LLM client: request digests and templates, the redacted
 * description, and its retry, stop, repair, cache and budget rules through
 * real HTTP to a scripted server on a thread of this process (httpd.h),
 * also as a hostile server: usage that lies, a rate limit reset days
 * away, an echoed key, a cache that cannot be written, a wait that is
 * stopped.  Its header parsers are web/header's (tests/unit/web/test_header.c).
 */
#include "core/buf.h"
#include "core/hash.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/status.h"
#include "core/secret.h"
#include "llm/llm.h"
#include "httpd.h"
#include "test.h"

#define KEY "sk-test-secret-0123456789"

TEST(digest)
{
	json_t *a = json_pack("{s:s,s:[{s:s,s:s}],s:i}", "model", "m",
	    "messages", "role", "user", "content", "héllo", "temperature", 0);
	json_t *b = json_deep_copy(a);
	struct lp_buf buf = LP_BUF_INIT;
	char da[65], db[65], want[65];

	lp_llm_digest(a, da);
	lp_llm_digest(b, db);
	assert_eq_str(da, db);
	/* SHA-256 of the canonical JSON, nothing else in it. */
	lp_json_dump(a, &buf);
	lp_sha256_hex(buf.p, buf.len, want);
	assert_eq_str(da, want);
	json_object_set_new(b, "temperature", json_real(0.5));
	lp_llm_digest(b, db);
	assert_true(strcmp(da, db) != 0);
	lp_buf_release(&buf);
	json_decref(a);
	json_decref(b);
}

TEST(template)
{
	json_t *tb = json_pack("{s:s,s:[{s:s,s:o},{s:s,s:o}],s:f}", "model",
	    "m", "messages", "role", "system", "content", lp_llm_hole(), "role",
	    "user", "content", lp_llm_hole(), "temperature", 0.0);
	const char *sys = "Be \"exact\".\n", *user = "caf\xc3\xa9 \\ 😀\t";
	const char *text[2] = {sys, user};
	size_t len[2] = {strlen(sys), strlen(user)};
	struct lp_llm_tmpl t;
	struct lp_buf a = LP_BUF_INIT, b = LP_BUF_INIT, want = LP_BUF_INIT;
	char da[65], db[65], dw[65];
	json_t *whole, *none = json_pack("{s:s}", "model", "m");
	struct lp_error err = LP_ERROR_INIT;

	assert_eq_int(lp_llm_tmpl_init(&t, tb, &err), LP_OK);
	assert_eq_int(t.nholes, 2);
	/* The same bytes and digest as the whole body dumped. */
	whole = json_pack("{s:s,s:[{s:s,s:s},{s:s,s:s}],s:f}", "model", "m",
	    "messages", "role", "system", "content", sys, "role", "user",
	    "content", user, "temperature", 0.0);
	lp_json_dump(whole, &want);
	lp_llm_digest(whole, dw);
	lp_buf_add(&a, "x", 1); /* appends after what is there */
	lp_llm_tmpl_fill(&t, text, len, &a, da);
	assert_eq_mem(a.p + 1, a.len - 1, want.p, want.len);
	assert_eq_str(da, dw);
	/* Pinned: the same again, from the kept hash state. */
	lp_llm_tmpl_pin(&t, sys, strlen(sys));
	text[0] = NULL;
	lp_llm_tmpl_fill(&t, text, len, &b, db);
	assert_eq_mem(b.p, b.len, want.p, want.len);
	assert_eq_str(db, dw);
	lp_llm_tmpl_free(&t);
	assert_eq_int(lp_llm_tmpl_init(&t, none, &err), LP_FAILED);
	assert_eq_str(err.msg, "cannot make a request template");
	lp_buf_release(&a);
	lp_buf_release(&b);
	lp_buf_release(&want);
	json_decref(tb);
	json_decref(whole);
	json_decref(none);
}

TEST(config_and_describe)
{
	struct lp_llm_config cfg = {0};
	struct lp_llm *c;
	struct lp_error err = LP_ERROR_INIT;
	char *s;
	json_t *d, *body = json_pack("{s:s}", "model", "m");

	c = lp_llm_client_new(&cfg, &err);
	assert_true(c == NULL && strstr(err.msg, "http://") != NULL);
	cfg.base = "ftp://example.org/v1";
	assert_true(lp_llm_client_new(&cfg, &err) == NULL);
	assert_true(strstr(err.msg, "ftp://example.org/v1") != NULL);

	cfg.base = "https://api.example.org/v1/";
	cfg.key = KEY;
	c = lp_llm_client_new(&cfg, &err);
	assert_true(c != NULL);
	d = lp_llm_describe(c, body);
	assert_eq_str(json_string_value(json_object_get(d, "url")),
	    "https://api.example.org/v1/chat/completions");
	assert_eq_str(json_string_value(json_object_get(
			  json_object_get(d, "headers"), "Authorization")),
	    "Bearer ***");
	s = json_dumps(d, 0);
	assert_true(strstr(s, KEY) == NULL);
	free(s);
	json_decref(d);
	lp_llm_free(c);

	cfg.azure = 1;
	cfg.base = "https://x.openai.azure.com/openai/deployments/gpt";
	cfg.api_version = "2024-10-21";
	c = lp_llm_client_new(&cfg, &err);
	d = lp_llm_describe(c, body);
	assert_eq_str(json_string_value(json_object_get(d, "url")),
	    "https://x.openai.azure.com/openai/deployments/gpt/chat/"
	    "completions?api-version=2024-10-21");
	assert_eq_str(json_string_value(json_object_get(
			  json_object_get(d, "headers"), "api-key")),
	    "***");
	json_decref(d);
	lp_llm_free(c);
	json_decref(body);
}

/*
 * Each empty query value grows by its mask when shown: many of them once
 * wrote past the end of the shown URL (the sanitized build caught it).
 */
TEST(shown_url_many_empty_values)
{
	struct lp_llm_config cfg = {0};
	struct lp_error err = LP_ERROR_INIT;
	struct lp_buf v = LP_BUF_INIT, want = LP_BUF_INIT;
	struct lp_llm *c;
	int i;

	lp_buf_adds(&v, "1");
	lp_buf_adds(
	    &want, "http://h.example/v1/chat/completions?api-version=1");
	for (i = 0; i < 200; i++) {
		lp_buf_adds(&v, "&=");
		lp_buf_adds(&want, "&=***");
	}
	lp_buf_adds(&v, "&key=s3cretvalue&x");
	lp_buf_adds(&want, "&key=***&x");
	lp_buf_addc(&v, '\0');
	lp_buf_addc(&want, '\0');
	cfg.base = "http://user:pw@h.example/v1";
	cfg.api_version = v.p;
	c = lp_llm_client_new(&cfg, &err);
	assert_true(c != NULL);
	assert_eq_str(lp_llm_url(c), want.p);
	lp_llm_free(c);
	lp_buf_release(&v);
	lp_buf_release(&want);
}

/* A gateway's key in the base's query: kept after the path, not shown. */
TEST(base_with_query)
{
	struct lp_llm_config cfg = {0};
	struct lp_error err = LP_ERROR_INIT;
	struct lp_llm *c;
	json_t *d, *body = json_pack("{s:s}", "model", "m");

	cfg.base = "http://h.example/v1/?key=s3cretvalue123#top";
	c = lp_llm_client_new(&cfg, &err);
	assert_true(c != NULL);
	assert_eq_str(
	    lp_llm_url(c), "http://h.example/v1/chat/completions?key=***");
	lp_llm_free(c);
	cfg.base = "http://h.example/v1?key=s3cretvalue123";
	cfg.api_version = "2024-10-21";
	cfg.azure_deployments = 1;
	c = lp_llm_client_new(&cfg, &err);
	assert_true(c != NULL);
	assert_eq_str(lp_llm_url(c),
	    "http://h.example/v1/openai/deployments/{model}/chat/"
	    "completions?key=***&api-version=2024-10-21");
	lp_secret_clear();
	lp_secret_add_url(cfg.base, 0);
	d = lp_llm_describe(c, body);
	assert_eq_str(json_string_value(json_object_get(d, "url")),
	    "http://h.example/v1/openai/deployments/m/chat/"
	    "completions?key=***&api-version=2024-10-21");
	json_decref(d);
	lp_secret_clear();
	lp_llm_free(c);
	json_decref(body);
}

#define HTTP(status, extra, body)                                              \
	"HTTP/1.1 " status "\r\nContent-Type: application/json\r\n" extra      \
	"Connection: close\r\nContent-Length: " body

#define OK_REPLY(text)                                                         \
	"{\"model\":\"m-1\",\"choices\":[{\"message\":{\"role\":"              \
	"\"assistant\",\"content\":\"" text "\"},\"finish_reason\":"           \
	"\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":"    \
	"5,\"total_tokens\":15}}"

/* Content-Length is computed here: the macros leave it open. */
static char *
reply(const char *head, const char *body)
{
	size_t n = strlen(head) + strlen(body) + 32;
	char *r = malloc(n);

	snprintf(r, n, "%s%zu\r\n\r\n%s", head, strlen(body), body);
	return r;
}

static struct lp_llm *
client(struct server *s, const char *cache,
    int (*validate)(const char *, void *, struct lp_error *))
{
	struct lp_llm_config cfg = {0};
	struct lp_error err;
	char base[64];
	struct lp_llm *c;

	snprintf(base, sizeof(base), "http://127.0.0.1:%d/v1", s->port);
	cfg.base = base;
	cfg.key = KEY;
	cfg.jobs = 2;
	cfg.max_retries = 3;
	cfg.timeout_ms = 5000;
	cfg.cache_dir = cache;
	cfg.validate = validate;
	c = lp_llm_client_new(&cfg, &err);
	if (c == NULL)
		abort();
	return c;
}

static json_t *
body(const char *text)
{
	return json_pack("{s:s,s:[{s:s,s:s}]}", "model", "m", "messages",
	    "role", "user", "content", text);
}

static long long
stat_of(struct lp_llm *c, const char *k)
{
	json_t *st = lp_llm_stats(c);
	long long v = json_integer_value(json_object_get(st, k));

	json_decref(st);
	return v;
}

TEST(retry_then_cache)
{
	char *r429 =
	    reply(HTTP("429 Too Many Requests", "retry-after-ms: 30\r\n", ""),
		"{\"error\":{\"message\":\"slow down\"}}");
	char *r200 = reply(HTTP("200 OK", "", ""), OK_REPLY("你好"));
	const char *script[] = {r429, r200, NULL};
	char dir[] = "/tmp/lp-llm-XXXXXX";
	struct server s;
	struct lp_llm *c;
	struct lp_llm_result *r;

	assert_true(mkdtemp(dir) != NULL);
	server_start(&s, script);
	c = client(&s, dir, NULL);
	assert_eq_int(lp_llm_submit(c, body("hello"), (void *)1), 0);
	r = lp_llm_wait(c);
	assert_true(r != NULL && r->why == LP_LLM_OK);
	assert_eq_str(r->content, "你好");
	assert_eq_str(r->finish_reason, "stop");
	assert_eq_str(r->model, "m-1");
	assert_eq_int(r->attempts, 2);
	assert_eq_int(r->cached, 0);
	assert_true(r->user == (void *)1);
	assert_eq_int(stat_of(c, "llm_retries"), 1);
	assert_eq_int(stat_of(c, "total_tokens"), 15);
	assert_eq_str(s.auth, "Bearer " KEY);
	lp_llm_result_free(r);
	assert_true(lp_llm_wait(c) == NULL);
	lp_llm_free(c);
	server_stop(&s);
	assert_eq_int(s.served, 2);

	/* The server is gone: the same request comes from the cache. */
	c = client(&s, dir, NULL);
	lp_llm_submit(c, body("hello"), NULL);
	r = lp_llm_wait(c);
	assert_true(r != NULL && r->why == LP_LLM_OK && r->cached == 1);
	assert_eq_str(r->content, "你好");
	lp_llm_result_free(r);
	/* A different one is not cached, and the connection is refused:
	 * a network failure after the retries. */
	lp_llm_submit(c, body("other"), NULL);
	r = lp_llm_wait(c);
	assert_true(r != NULL && r->why == LP_LLM_NETWORK);
	assert_eq_int(r->attempts, 4);
	assert_eq_int(r->status, 0);
	lp_llm_result_free(r);
	lp_llm_free(c);
	free(r429);
	free(r200);
}

TEST(fatal_stops_and_400_is_not_retried)
{
	char *r400 = reply(HTTP("400 Bad Request", "", ""),
	    "{\"error\":{\"message\":\"bad field\"}}");
	char *r401 = reply(HTTP("401 Unauthorized", "", ""),
	    "{\"error\":{\"message\":\"Incorrect API key\"}}");
	const char *script[] = {r400, r401, NULL};
	struct server s;
	struct lp_llm *c;
	struct lp_llm_result *r;

	server_start(&s, script);
	c = client(&s, NULL, NULL);
	lp_llm_submit(c, body("a"), NULL);
	r = lp_llm_wait(c);
	assert_true(r->why == LP_LLM_HTTP && r->status == 400);
	assert_eq_int(r->attempts, 1);
	assert_eq_str(r->message, "HTTP 400: bad field");
	lp_llm_result_free(r);
	assert_eq_int(lp_llm_stopped(c), 0);

	lp_llm_submit(c, body("b"), NULL);
	r = lp_llm_wait(c);
	assert_true(r->why == LP_LLM_FATAL && r->status == 401);
	assert_true(strstr(r->message, "Incorrect API key") != NULL);
	assert_true(strstr(r->message, KEY) == NULL);
	lp_llm_result_free(r);
	assert_eq_int(lp_llm_stopped(c), 1);
	/* Nothing more is sent: every call would fail the same way. */
	assert_true(lp_llm_submit(c, body("c"), NULL) != 0);
	r = lp_llm_wait(c);
	assert_true(r->why == LP_LLM_FATAL && r->attempts == 0);
	lp_llm_result_free(r);
	assert_eq_int(stat_of(c, "llm_failed"), 3);
	lp_llm_free(c);
	server_stop(&s);
	assert_eq_int(s.served, 2);
	free(r400);
	free(r401);
}

static int
want_json(const char *content, void *user, struct lp_error *err)
{
	(void)user;
	if (content[0] != '{')
		return lp_error_set(err, "not a JSON object");
	return LP_OK;
}

static int n_audit;

static void
count_audit(json_t *ev, void *arg)
{
	char *s = json_dumps(ev, 0);

	(void)arg;
	if (strstr(s, KEY) == NULL && json_object_get(ev, "digest") != NULL)
		n_audit++;
	free(s);
	json_decref(ev);
}

TEST(repair_once_then_report)
{
	char *bad = reply(HTTP("200 OK", "", ""), OK_REPLY("plain words"));
	char *good = reply(HTTP("200 OK", "", ""), OK_REPLY("{}"));
	char *empty = reply(HTTP("200 OK", "", ""), OK_REPLY(""));
	const char *script[] = {bad, good, bad, empty, NULL};
	char dir[] = "/tmp/lp-llm-XXXXXX";
	struct lp_llm_config cfg = {0};
	struct server s;
	struct lp_llm *c;
	struct lp_llm_result *r;
	struct lp_error err;
	char base[64];

	assert_true(mkdtemp(dir) != NULL);
	server_start(&s, script);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d/v1", s.port);
	cfg.base = base;
	cfg.key = KEY;
	cfg.jobs = 1;
	cfg.max_retries = 5;
	cfg.cache_dir = dir;
	cfg.validate = want_json;
	cfg.audit = count_audit;
	c = lp_llm_client_new(&cfg, &err);
	lp_llm_submit(c, body("x"), NULL);
	r = lp_llm_wait(c);
	assert_true(r->why == LP_LLM_OK && r->attempts == 2);
	assert_eq_str(r->content, "{}");
	lp_llm_result_free(r);
	/* Unusable twice (not the form, then empty): reported, not retried
	 * further, and the bad answer is not cached. */
	lp_llm_submit(c, body("y"), NULL);
	r = lp_llm_wait(c);
	assert_true(r->why == LP_LLM_REPLY && r->attempts == 2);
	assert_eq_str(r->message, "an empty reply");
	lp_llm_result_free(r);
	assert_eq_int(n_audit, 4);
	lp_llm_free(c);
	server_stop(&s);
	assert_eq_int(s.served, 4);
	free(bad);
	free(good);
	free(empty);
}

TEST(budget)
{
	const char *script[] = {NULL};
	struct lp_llm_config cfg = {0};
	struct server s;
	struct lp_llm *c;
	struct lp_llm_result *r;
	struct lp_error err;
	char base[64];

	server_start(&s, script);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d/v1", s.port);
	cfg.base = base;
	cfg.max_tokens = 5; /* less than any request's estimate */
	c = lp_llm_client_new(&cfg, &err);
	assert_true(lp_llm_submit(c, body("a long enough title"), NULL) != 0);
	r = lp_llm_wait(c);
	assert_true(r->why == LP_LLM_BUDGET && r->attempts == 0);
	lp_llm_result_free(r);
	assert_eq_int(stat_of(c, "llm_failed"), 0);
	lp_llm_free(c);
	server_stop(&s);
	assert_eq_int(s.served, 0);
}

/* ---- Hostile servers. */

TEST(usage_that_lies_counts_the_estimate)
{
	char *neg = reply(HTTP("200 OK", "", ""),
	    "{\"choices\":[{\"message\":{\"content\":\"x\"}}],"
	    "\"usage\":{\"prompt_tokens\":-1000000,\"total_tokens\":"
	    "-1000000}}");
	const char *script[] = {neg, NULL};
	struct server s;
	struct lp_llm *c;
	struct lp_llm_result *r;

	server_start(&s, script);
	c = client(&s, NULL, NULL);
	lp_llm_submit(c, body("hello"), NULL);
	r = lp_llm_wait(c);
	assert_true(r != NULL && r->why == LP_LLM_OK);
	assert_true(r->usage == NULL && r->usage_invalid);
	assert_eq_int(stat_of(c, "llm_usage_estimated"), 1);
	/* The estimate: at least a token, never negative. */
	assert_true(stat_of(c, "total_tokens") > 0);
	assert_eq_int(stat_of(c, "prompt_tokens"), 0);
	lp_llm_result_free(r);
	lp_llm_free(c);
	server_stop(&s);
	free(neg);
}

TEST(far_rate_limit_reset_fails_what_waits)
{
	char *held = reply(HTTP("200 OK",
			       "x-ratelimit-remaining-requests: 0\r\n"
			       "x-ratelimit-reset-requests: 1000000s\r\n",
			       ""),
	    OK_REPLY("a"));
	const char *script[] = {held, NULL};
	struct lp_llm_config cfg = {0};
	struct server s;
	struct lp_llm *c;
	struct lp_llm_result *r;
	struct lp_error err = LP_ERROR_INIT;
	char base[64];
	double t0 = lp_clock();

	server_start(&s, script);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d/v1", s.port);
	cfg.base = base;
	cfg.jobs = 1;
	c = lp_llm_client_new(&cfg, &err);
	lp_llm_submit(c, body("one"), (void *)1);
	lp_llm_submit(c, body("two"), (void *)2);
	r = lp_llm_wait(c);
	assert_true(r != NULL && r->why == LP_LLM_OK && r->user == (void *)1);
	lp_llm_result_free(r);
	r = lp_llm_wait(c);
	assert_true(r != NULL && r->why == LP_LLM_RATE && r->attempts == 0);
	assert_eq_str(r->message,
	    "the API's rate limit resets in 1000000 s "
	    "(x-ratelimit-reset-requests), more than the 60 s a request waits");
	lp_llm_result_free(r);
	assert_true(lp_clock() - t0 < 2);
	lp_llm_free(c);
	server_stop(&s);
	assert_eq_int(s.served, 1);
	free(held);
}

TEST(stop_ends_the_wait)
{
	const char *script[] = {NULL}; /* listens, never answers */
	volatile sig_atomic_t stop = 0;
	struct lp_llm_config cfg = {0};
	struct server s;
	struct lp_llm *c;
	struct lp_error err = LP_ERROR_INIT;
	char base[64];
	double t0;
	int i;

	server_start(&s, script);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d/v1", s.port);
	cfg.base = base;
	cfg.stop = &stop;
	c = lp_llm_client_new(&cfg, &err);
	lp_llm_submit(c, body("hello"), NULL);
	for (i = 0; i < 5; i++)
		assert_true(lp_llm_poll(c) == NULL);
	stop = 1;
	t0 = lp_clock();
	assert_true(lp_llm_wait(c) == NULL);
	assert_true(lp_clock() - t0 < 0.5);
	assert_eq_int((long)lp_llm_pending(c), 1);
	lp_llm_free(c);
	server_stop(&s);
}

TEST(echoed_key_is_scrubbed)
{
	char *echo = reply(HTTP("400 Bad Request", "", ""),
	    "{\"error\":{\"message\":\"bad request from Bearer " KEY
	    " (sk-test-...23456789)\"}}");
	const char *script[] = {echo, NULL};
	struct server s;
	struct lp_llm *c;
	struct lp_llm_result *r;

	lp_secret_add_key(KEY);
	server_start(&s, script);
	c = client(&s, NULL, NULL);
	lp_llm_submit(c, body("hello"), NULL);
	r = lp_llm_wait(c);
	assert_true(r != NULL && r->why == LP_LLM_HTTP);
	assert_eq_str(
	    r->message, "HTTP 400: bad request from Bearer *** (***...***)");
	lp_llm_result_free(r);
	lp_llm_free(c);
	server_stop(&s);
	lp_secret_clear();
	free(echo);
}

TEST(cache_write_failure_counted)
{
	char *r200 = reply(HTTP("200 OK", "", ""), OK_REPLY("a"));
	const char *script[] = {r200, NULL};
	char file[] = "/tmp/lp-llm-notadir-XXXXXX";
	struct server s;
	struct lp_llm *c;
	struct lp_llm_result *r;
	int fd = mkstemp(file);

	assert_true(fd >= 0);
	close(fd);
	server_start(&s, script);
	c = client(&s, file, NULL);
	assert_true(lp_llm_cache_error(c) == NULL);
	lp_llm_submit(c, body("hello"), NULL);
	r = lp_llm_wait(c);
	assert_true(r != NULL && r->why == LP_LLM_OK);
	lp_llm_result_free(r);
	/* The stats wait for the entries queued to be written. */
	assert_eq_int(stat_of(c, "llm_cache_write_failed"), 1);
	assert_true(lp_llm_cache_error(c) != NULL);
	assert_true(strncmp(lp_llm_cache_error(c), "cannot write '", 14) == 0);
	assert_true(
	    strstr(lp_llm_cache_error(c), "': Not a directory") != NULL);
	lp_llm_free(c);
	server_stop(&s);
	unlink(file);
	free(r200);
}

RUN_TESTS()
