/*
 * standin: a small OpenAI-compatible HTTP server for the tests.  Never part
 * of the tools: it stands in for the LLM API (and for webhook receivers) so
 * tests exercise real HTTP through libcurl on 127.0.0.1.
 *
 *   standin [--port N] [--port-file F] [--log F] [--latency-ms N] [--slow-ms N]
 *           [--fault KIND:P]... [--fault-limit N] [--status CODE]
 *           [--rpm N] [--seed S] [--idle-exit SECONDS] [--stats-file F]
 *           [--ratelimit LEFT:RESET] [--echo-key CODE] [--usage N]
 *           [--gzip-mb N] [--clean-answers F] [--want-key KEY]
 *           [--error-style ollama] [--status-message MSG]
 *
 * POST .../chat/completions answers deterministically: the last user
 * message, if it is JSON {"items":[{"id","text"}]}, gets {"items":[{"id",
 * "text"}]} back with each text put through a tiny glossary translator.
 * A judge's message, JSON {"source","translation"}, is rated: {"score",
 * "confidence","rationale"} with score 4 when the translation is the
 * glossary's own and 2 otherwise (2 points lower for a model whose name
 * has "harsh"; no rationale when the schema asks none), and with logprobs
 * when asked (not for a model whose name has "nolp"): every token of the
 * answer, and at the score's digit top_logprobs of 1-4 falling off as
 * exp(-1.5 |k - score|), 97% of the mass, and a space with 3%.  Plain
 * text is translated as text.
 * GET /stats gives {"requests":N,"chat":N,"by_status":{...}}, also kept
 * in --stats-file after every reply; any other
 * POST is logged and answered 200 {}.
 *
 * Faults, each drawn with probability P per request (seeded): 429 (with
 * retry-after-ms), 500, 503, slow (replies after --slow-ms), reset
 * (connection reset, no reply), truncate (half the body), malformed (not
 * JSON), schema (plain text where JSON was asked), drop (one batch item
 * left out), empty (empty content); for judges badscore (score 7), word
 * (score "four"), nofield (no confidence).  --fault-limit stops faults after N.
 * --status CODE answers every chat request with that error.  --rpm N
 * enforces N requests per minute as a token bucket of two seconds' worth,
 * answering 429 beyond it.
 *
 * Hostile servers (issue 25): --ratelimit LEFT:RESET adds
 * x-ratelimit-remaining-requests: LEFT and x-ratelimit-reset-requests:
 * RESET to every reply; --echo-key CODE answers every chat request with
 * CODE and a message that repeats the Authorization (or api-key) header,
 * as some proxies do, and the key's first and last eight characters;
 * --usage N reports N prompt and N total tokens (negative too); --gzip-mb N
 * sends every reply gzip-encoded, N MB of spaces before the JSON (a reply
 * small on the wire that inflates N MB).
 *
 * Cleaning (lp-clean --llm): with --clean-answers FILE, a request whose
 * user message is JSON {"title"} is answered from FILE, JSON Lines of
 * {"title","answer"}: the answer of the line with that title, an object
 * sent as JSON or a string sent as it is (malformed answers are data
 * too); a title not in FILE gets itself back, unchanged, with no brand,
 * model, attributes, condition or edits.
 *
 * Settings (issue 24): the --log line also has "auth" ("bearer",
 * "api-key" or ""), "organization" and "project" (the OpenAI-Organization
 * and OpenAI-Project headers, or null) and, with --want-key KEY, "key_ok"
 * (whether the key sent is KEY; the key itself is never logged).
 * --error-style ollama words error bodies as Ollama does, {"error":"..."};
 * --status-message MSG is --status's message.
 *
 * Pages: with --root DIR, GET serves the files under DIR as HTML (and
 * robots.txt as text, or --robots-status CODE instead), with the faults
 * 429 (Retry-After: 1), 500, 503, slow, reset and truncate, and counts
 * pages, robots and the most page requests at once in the stats.
 * A hostile server is data: where DIR has PATH.http beside the page
 * PATH (the query left out), that file is the answer instead, read at
 * each request: a status line ("302" or "302 Found"), header lines, a
 * blank line and the body (Content-Length added when not given).  Two
 * header lines are not sent but obeyed: "Standin-Delay-Ms: N" waits N ms
 * before answering, "Standin-Drip-Ms: N" sends the body a byte every N ms.
 *
 * One thread per connection; keep-alive; Expect: 100-continue honoured.
 * It stops by itself after --idle-exit seconds without a request
 * (default 120), so a test that dies does not leave it running.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

enum fault {
	F_429,
	F_500,
	F_503,
	F_SLOW,
	F_RESET,
	F_TRUNC,
	F_BAD,
	F_SCHEMA,
	F_DROP,
	F_EMPTY,
	F_BADSCORE,
	F_WORD,
	F_NOFIELD,
	NFAULT
};
static const char *const fault_names[NFAULT] = {"429", "500", "503", "slow",
    "reset", "truncate", "malformed", "schema", "drop", "empty", "badscore",
    "word", "nofield"};

static double fault_p[NFAULT];
static long fault_limit = -1, faults_done;
static int latency_ms, slow_ms = 3000, force_status;
static double rpm, bucket, bucket_at;
static unsigned long long rng_state = 1;
static long n_requests, n_chat, by_status[600];
/* Pages (--root): counts, and the most page requests at once. */
static const char *root_dir;
static int robots_status;
static long n_pages, n_robots, inflight, max_inflight;
static FILE *log_file;
static const char *ratelimit_left, *ratelimit_reset;
static int echo_key;
static long long usage_override;
static int have_usage_override;
static long gzip_mb;
static json_t *clean_answers; /* --clean-answers: title -> content */

static void save_stats(void);
static char *judge(json_t *req, json_t *msg, int fault);
static int page(int fd, const char *path, const char *head);
static double last_request, idle_exit = 120;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* splitmix64, under mu. */
static double
unit(void)
{
	unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

/* The glossary translator: known words replaced, the rest kept. */
static const char *const glossary[][2] = {{"apple", "苹果"}, {"phone", "手机"},
    {"case", "保护壳"}, {"new", "全新"}, {"used", "二手"}, {"black", "黑色"},
    {"white", "白色"}, {"red", "红色"}, {"blue", "蓝色"}, {"charger", "充电器"},
    {"cable", "数据线"}, {"screen", "屏幕"}, {"protector", "保护膜"},
    {"watch", "手表"}, {"laptop", "笔记本电脑"}, {"headphones", "耳机"},
    {"wireless", "无线"}, {"boxed", "盒装"}, {"sealed", "未拆封"},
    {"camera", "相机"}, {"lens", "镜头"}, {"bag", "包"}, {"shoes", "鞋"},
    {"size", "尺码"}, {"mens", "男士"}, {"womens", "女士"}, {"with", "带"},
    {"and", "和"}, {"for", "适用于"}, {"unlocked", "无锁"},
    {"excellent", "极好"}, {"condition", "成色"}, {"genuine", "正品"},
    {"original", "原装"}};

static char *
translate(const char *s)
{
	size_t cap = strlen(s) * 4 + 16, n = 0;
	char *out = malloc(cap);

	while (*s != '\0') {
		size_t w = strcspn(s, " "), i;
		const char *rep = NULL;

		for (i = 0; i < sizeof(glossary) / sizeof(*glossary); i++)
			if (strlen(glossary[i][0]) == w &&
			    strncasecmp(glossary[i][0], s, w) == 0)
				rep = glossary[i][1];
		if (n > 0 && w > 0)
			out[n++] = ' ';
		if (rep != NULL) {
			memcpy(out + n, rep, strlen(rep));
			n += strlen(rep);
		} else {
			memcpy(out + n, s, w);
			n += w;
		}
		s += w;
		while (*s == ' ')
			s++;
	}
	out[n] = '\0';
	return out;
}

struct conn {
	int fd;
	char *buf;
	size_t len, cap;
};

static int
send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
reply(int fd, int status, const char *extra, const char *body, size_t send_n)
{
	char head[768];
	size_t n = strlen(body);
	int hl = snprintf(head, sizeof(head),
	    "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\n%s\r\n",
	    status, status == 200 ? "OK" : "Error", n, extra ? extra : "");

	pthread_mutex_lock(&mu);
	if (status > 0 && status < 600)
		by_status[status]++;
	pthread_mutex_unlock(&mu);
	/* Counted before the client can see the reply. */
	save_stats();
	if (send_all(fd, head, (size_t)hl) != 0)
		return -1;
	return send_all(fd, body, send_n < n ? send_n : n);
}

/* A reply of n bytes that may hold NUL bytes. */
static int
reply_n(int fd, int status, const char *extra, const char *body, size_t n)
{
	char head[768];
	int hl = snprintf(head, sizeof(head),
	    "HTTP/1.1 %d OK\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\n%s\r\n",
	    status, n, extra ? extra : "");

	pthread_mutex_lock(&mu);
	by_status[status]++;
	pthread_mutex_unlock(&mu);
	save_stats();
	if (send_all(fd, head, (size_t)hl) != 0)
		return -1;
	return send_all(fd, body, n);
}

static int error_style_ollama;
static const char *status_message = "forced failure";

/* An error body as the provider words it (OpenAI's, or Ollama's). */
static void
error_body(char *body, size_t n, int status, const char *msg)
{
	if (error_style_ollama)
		snprintf(body, n, "{\"error\":\"%s\"}", msg);
	else
		snprintf(body, n,
		    "{\"error\":{\"message\":\"%s\",\"type\":\"standin\","
		    "\"code\":%d}}",
		    msg, status);
}

static int
error_reply(int fd, int status, const char *extra, const char *msg)
{
	char body[1536];

	error_body(body, sizeof(body), status, msg);
	return reply(fd, status, extra, body, (size_t)-1);
}

static size_t
tokens(const char *s)
{
	return strlen(s) / 4 + 1;
}

/* --clean-answers: the recorded answer for title, or title itself. */
static char *
clean_answer(const char *title)
{
	json_t *a = json_object_get(clean_answers, title);

	if (json_is_string(a))
		return strdup(json_string_value(a));
	if (a != NULL)
		return json_dumps(a, JSON_COMPACT);
	a = json_pack("{s:s,s:n,s:n,s:{},s:n,s:[]}", "title", title, "brand",
	    "model", "attributes", "condition", "edits");
	{
		char *s = json_dumps(a, JSON_COMPACT);

		json_decref(a);
		return s;
	}
}

/* Read --clean-answers FILE: {"title","answer"} a line. */
static void
load_clean_answers(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	long n = 0;

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	clean_answers = json_object();
	while (getline(&line, &cap, f) > 0) {
		json_t *l = json_loads(line, 0, NULL);
		const char *t = json_string_value(json_object_get(l, "title"));

		n++;
		if (t == NULL || json_object_get(l, "answer") == NULL) {
			fprintf(stderr, "%s:%ld: want {\"title\",\"answer\"}\n",
			    path, n);
			exit(1);
		}
		json_object_set(clean_answers, t, json_object_get(l, "answer"));
		json_decref(l);
	}
	free(line);
	fclose(f);
}

/* The assistant's content for one request, or NULL if there is none. */
static char *
answer(json_t *req, int fault, size_t *prompt_tokens)
{
	json_t *msgs = json_object_get(req, "messages"), *m, *user = NULL,
	       *items, *it, *outv;
	const char *text;
	size_t i;
	char *s;

	*prompt_tokens = 0;
	json_array_foreach (msgs, i, m) {
		const char *c =
		    json_string_value(json_object_get(m, "content"));

		*prompt_tokens += 4 + (c ? tokens(c) : 0);
		const char *role =
		    json_string_value(json_object_get(m, "role"));

		if (c != NULL && role != NULL && strcmp(role, "user") == 0)
			user = m;
	}
	if (user == NULL)
		return NULL;
	text = json_string_value(json_object_get(user, "content"));
	it = json_loads(text, 0, NULL);
	if (clean_answers != NULL &&
	    json_is_string(json_object_get(it, "title"))) {
		s = clean_answer(
		    json_string_value(json_object_get(it, "title")));
		json_decref(it);
		return s;
	}
	if (json_is_string(json_object_get(it, "translation"))) {
		s = judge(req, it, fault);
		json_decref(it);
		return s;
	}
	items = json_object_get(it, "items");
	if (!json_is_array(items)) {
		json_decref(it);
		return translate(text);
	}
	outv = json_array();
	json_array_foreach (items, i, m) {
		json_t *id = json_object_get(m, "id");
		const char *src = json_string_value(json_object_get(m, "text"));
		const char *tr =
		    json_string_value(json_object_get(m, "translation"));

		if (fault == F_DROP && i == 0 && json_array_size(items) > 1)
			continue;
		if (tr != NULL) {
			const char *from =
			    json_string_value(json_object_get(m, "source"));
			char *mine = translate(from ? from : "");
			int score = strcmp(mine, tr) == 0 ? 4 : 2;

			free(mine);
			json_array_append_new(outv,
			    json_pack("{s:O,s:i,s:s}", "id", id, "score", score,
				"reason",
				score == 4 ? "matches the glossary"
					   : "differs from the glossary"));
		} else {
			char *t = translate(src ? src : "");

			json_array_append_new(
			    outv, json_pack("{s:O,s:s}", "id", id, "text", t));
			free(t);
		}
	}
	s = json_dumps(json_pack("{s:o}", "items", outv), JSON_COMPACT);
	json_decref(it);
	return s;
}

/* The judge's rating of {"source","translation"}, as JSON text. */
static char *
judge(json_t *req, json_t *msg, int fault)
{
	const char *model = json_string_value(json_object_get(req, "model"));
	const char *tr = json_string_value(json_object_get(msg, "translation"));
	const char *src = json_string_value(json_object_get(msg, "source"));
	char *mine = translate(src ? src : ""), *s;
	int score = strcmp(mine, tr) == 0 ? 4 : 2;
	json_t *props = json_object_get(
	    json_object_get(
		json_object_get(
		    json_object_get(req, "response_format"), "json_schema"),
		"schema"),
	    "properties");
	json_t *out;

	free(mine);
	if (model != NULL && strstr(model, "harsh") != NULL)
		score = score > 2 ? score - 2 : 1;
	out = json_pack(
	    "{s:i,s:f}", "score", score, "confidence", score == 4 ? 0.8 : 0.6);
	if (props == NULL || json_object_get(props, "rationale") != NULL)
		json_object_set_new(out, "rationale",
		    json_string(score == 4 ? "matches the glossary"
					   : "differs from the glossary"));
	if (fault == F_BADSCORE)
		json_object_set_new(out, "score", json_integer(7));
	else if (fault == F_WORD)
		json_object_set_new(out, "score", json_string("four"));
	else if (fault == F_NOFIELD)
		json_object_del(out, "confidence");
	s = json_dumps(
	    out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
	json_decref(out);
	return s;
}

static json_t *
token(const char *p, size_t n, double lp)
{
	json_t *bytes = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(bytes, json_integer((unsigned char)p[i]));
	return json_pack(
	    "{s:s%,s:f,s:o}", "token", p, n, "logprob", lp, "bytes", bytes);
}

/*
 * Logprobs for an answer: each token (a digit, a run of ASCII letters, a
 * UTF-8 character, or another byte) at -0.01, and at a rating's score
 * digit the distribution above.
 */
static json_t *
logprobs_of(const char *content, int top)
{
	json_t *toks = json_array();
	const char *p = content, *at = strstr(content, "\"score\":");
	int score = at != NULL ? at[8] - '0' : 0;

	while (*p != '\0') {
		size_t n = 1;
		json_t *t, *alts = json_array();

		if ((*p | 32) >= 'a' && (*p | 32) <= 'z')
			while (((p[n] | 32) >= 'a' && (p[n] | 32) <= 'z'))
				n++;
		else if ((unsigned char)*p >= 0xc0)
			while (((unsigned char)p[n] & 0xc0) == 0x80)
				n++;
		if (at != NULL && p == at + 8 && score >= 1 && score <= 4) {
			double w[5], sum = 0;
			int k;

			for (k = 1; k <= 4; k++)
				sum += w[k] = exp(-1.5 * abs(k - score));
			t = token(p, 1, log(0.97 * w[score] / sum));
			/* The most likely first, as servers give them:
			 * the score, then by distance, the lower first. */
			for (k = 0; k < 7 && (int)json_array_size(alts) < top;
			     k++) {
				int dk = (k + 1) / 2 * (k % 2 ? -1 : 1);
				char d = (char)('0' + score + dk);

				if (score + dk >= 1 && score + dk <= 4)
					json_array_append_new(alts,
					    token(&d, 1,
						log(0.97 * w[score + dk] /
						    sum)));
			}
			if (top > 4)
				json_array_append_new(
				    alts, token(" ", 1, log(0.03)));
		} else {
			t = token(p, n, -0.01);
			if (top > 0)
				json_array_append_new(alts, token(p, n, -0.01));
		}
		json_object_set_new(t, "top_logprobs", alts);
		json_array_append_new(toks, t);
		p += n;
	}
	return json_pack("{s:o}", "content", toks);
}

/* A fault for this request, drawn with the --fault probabilities; -1 for none.
 */
static int
draw_fault(void)
{
	int f = -1, k;
	double p;

	pthread_mutex_lock(&mu);
	if (fault_limit < 0 || faults_done < fault_limit) {
		p = unit();
		for (k = 0; k < NFAULT; k++) {
			if (p < fault_p[k]) {
				f = k;
				break;
			}
			p -= fault_p[k];
		}
		if (f >= 0)
			faults_done++;
	}
	pthread_mutex_unlock(&mu);
	return f;
}

/* --gzip-mb: gzip of N MB of spaces, then body (malloc'd, *n bytes). */
static unsigned char *
gzip_bomb(const char *body, size_t *n)
{
	static char spaces[65536];
	size_t cap = (size_t)gzip_mb * 2048 + strlen(body) + 4096;
	unsigned char *out = malloc(cap);
	z_stream z;
	long left = gzip_mb * 16;

	memset(spaces, ' ', sizeof(spaces));
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_RLE);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	for (; left > 0; left--) {
		z.next_in = (unsigned char *)spaces;
		z.avail_in = sizeof(spaces);
		deflate(&z, Z_NO_FLUSH);
	}
	z.next_in = (unsigned char *)(uintptr_t)body;
	z.avail_in = (uInt)strlen(body);
	deflate(&z, Z_FINISH);
	*n = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* The Authorization (or api-key) header's value in head, or "". */
static char *
auth_of(const char *head)
{
	const char *a = strcasestr(head, "\r\nauthorization:");
	size_t skip = 16;

	if (a == NULL) {
		a = strcasestr(head, "\r\napi-key:");
		skip = 10;
	}
	if (a == NULL)
		return strdup("");
	a += skip;
	while (*a == ' ')
		a++;
	return strndup(a, strcspn(a, "\r"));
}

/* Count a chat request, and take it from --rpm's bucket: 429 if empty. */
static int
count_chat(void)
{
	int status = 0;

	pthread_mutex_lock(&mu);
	n_chat++;
	if (rpm > 0) {
		double t = now(), cap = rpm / 30.0;

		bucket += (t - bucket_at) * rpm / 60.0;
		if (bucket > cap)
			bucket = cap;
		bucket_at = t;
		if (bucket < 1.0)
			status = 429;
		else
			bucket -= 1.0;
	}
	pthread_mutex_unlock(&mu);
	return status;
}

/* --echo-key: the error a careless proxy gives, key and all. */
static int
echo_reply(int fd, const char *head)
{
	char *auth = auth_of(head), msg[1024];
	const char *key = strrchr(auth, ' ') ? strrchr(auth, ' ') + 1 : auth;
	size_t kl = strlen(key);
	int rc;

	/* The header, then the key's ends as a "masked" key. */
	snprintf(msg, sizeof(msg), "bad request from %s (key %.8s...%s)", auth,
	    key, kl > 8 ? key + kl - 8 : key);
	free(auth);
	rc = error_reply(fd, echo_key, NULL, msg);
	return rc;
}

/*
 * Send a 200 with body out (freed), the rate-limit headers and, with
 * --gzip-mb, gzip-encoded behind the spaces; cut in half for truncate.
 */
static int
send_answer(int fd, char *out, int trunc)
{
	char extra[512] = "";
	size_t zn;
	unsigned char *z;
	int rc;

	if (rpm > 0) {
		pthread_mutex_lock(&mu);
		snprintf(extra, sizeof(extra),
		    "x-ratelimit-limit-requests: %.0f\r\n"
		    "x-ratelimit-remaining-requests: %.0f\r\n",
		    rpm, bucket);
		pthread_mutex_unlock(&mu);
	}
	if (ratelimit_left != NULL)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
		    "x-ratelimit-remaining-requests: %s\r\n"
		    "x-ratelimit-reset-requests: %s\r\n",
		    ratelimit_left, ratelimit_reset);
	if (gzip_mb <= 0) {
		rc = reply(
		    fd, 200, extra, out, trunc ? strlen(out) / 2 : (size_t)-1);
		free(out);
		return trunc ? -1 : rc;
	}
	z = gzip_bomb(out, &zn);
	free(out);
	snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
	    "Content-Encoding: gzip\r\n");
	rc = reply_n(fd, 200, extra, (const char *)z, zn);
	free(z);
	return rc;
}

static int
chat(int fd, const char *body, const char *head)
{
	json_error_t e;
	json_t *req = json_loads(body, 0, &e), *resp, *choice;
	int f = draw_fault(), rc, want_json, status;
	size_t pt = 0, ct;
	char *content, *out;

	status = count_chat();
	if (latency_ms > 0)
		sleep_ms(latency_ms);
	if (echo_key != 0) {
		json_decref(req);
		return echo_reply(fd, head);
	}
	if (force_status != 0) {
		json_decref(req);
		return error_reply(fd, force_status,
		    force_status >= 500 ? "retry-after-ms: 20\r\n" : NULL,
		    status_message);
	}
	if (req == NULL || !json_is_array(json_object_get(req, "messages"))) {
		json_decref(req);
		return error_reply(fd, 400, NULL, "messages required");
	}
	if (status == 429) {
		json_decref(req);
		return error_reply(
		    fd, 429, "retry-after-ms: 500\r\n", "rate limit reached");
	}
	switch (f) {
	case F_429:
		json_decref(req);
		return error_reply(
		    fd, 429, "retry-after-ms: 100\r\n", "injected 429");
	case F_500:
	case F_503:
		json_decref(req);
		return error_reply(
		    fd, f == F_500 ? 500 : 503, NULL, "injected server error");
	case F_SLOW:
		sleep_ms(slow_ms);
		break;
	case F_RESET: {
		struct linger l = {1, 0};

		json_decref(req);
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		save_stats();
		return -1;
	}
	case F_BAD:
		json_decref(req);
		return reply(
		    fd, 200, NULL, "{\"choices\":[{\"message\":", (size_t)-1);
	default:
		break;
	}
	content = answer(req, f, &pt);
	want_json = json_object_get(req, "response_format") != NULL;
	if (f == F_EMPTY) {
		free(content);
		content = strdup("");
	} else if (f == F_SCHEMA && want_json) {
		free(content);
		content =
		    strdup("Sure! Here is the translation you asked for.");
	}
	ct = tokens(content ? content : "");
	choice = json_pack("{s:i,s:{s:s,s:s},s:s}", "index", 0, "message",
	    "role", "assistant", "content", content ? content : "",
	    "finish_reason", "stop");
	if (json_is_true(json_object_get(req, "logprobs")) && content &&
	    (!json_is_string(json_object_get(req, "model")) ||
		strstr(json_string_value(json_object_get(req, "model")),
		    "nolp") == NULL))
		json_object_set_new(choice, "logprobs",
		    logprobs_of(content,
			(int)json_integer_value(
			    json_object_get(req, "top_logprobs"))));
	resp = json_pack("{s:s,s:s,s:i,s:s,s:[o],s:{s:I,s:I,s:I}}", "id",
	    "chatcmpl-standin", "object", "chat.completion", "created", 0,
	    "model",
	    json_is_string(json_object_get(req, "model"))
		? json_string_value(json_object_get(req, "model"))
		: "standin",
	    "choices", choice, "usage", "prompt_tokens", (json_int_t)pt,
	    "completion_tokens", (json_int_t)ct, "total_tokens",
	    (json_int_t)(pt + ct));
	if (have_usage_override)
		json_object_set_new(resp, "usage",
		    json_pack("{s:I,s:I,s:I}", "prompt_tokens",
			(json_int_t)usage_override, "completion_tokens",
			(json_int_t)0, "total_tokens",
			(json_int_t)usage_override));
	out = json_dumps(resp, JSON_COMPACT);
	rc = send_answer(fd, out, f == F_TRUNC);
	free(content);
	json_decref(resp);
	json_decref(req);
	return rc;
}

static const char *stats_file;

/* The counts as JSON; the caller holds mu. */
static char *
stats_text(void)
{
	json_t *st = json_object(), *bs = json_object();
	char *s;
	int i;

	for (i = 0; i < 600; i++)
		if (by_status[i] > 0) {
			char k[8];

			snprintf(k, sizeof(k), "%d", i);
			json_object_set_new(bs, k, json_integer(by_status[i]));
		}
	json_object_set_new(st, "requests", json_integer(n_requests));
	json_object_set_new(st, "chat", json_integer(n_chat));
	json_object_set_new(st, "by_status", bs);
	if (root_dir != NULL) {
		json_object_set_new(st, "pages", json_integer(n_pages));
		json_object_set_new(st, "robots", json_integer(n_robots));
		json_object_set_new(
		    st, "max_inflight", json_integer(max_inflight));
	}
	s = json_dumps(st, JSON_COMPACT);
	json_decref(st);
	return s;
}

/* --stats-file: the counts after every reply, written whole. */
static void
save_stats(void)
{
	char tmp[4096], *s;
	FILE *f;

	if (stats_file == NULL)
		return;
	pthread_mutex_lock(&mu);
	s = stats_text();
	snprintf(tmp, sizeof(tmp), "%s.tmp", stats_file);
	if ((f = fopen(tmp, "w")) != NULL) {
		fprintf(f, "%s\n", s);
		fclose(f);
		rename(tmp, stats_file);
	}
	pthread_mutex_unlock(&mu);
	free(s);
}

static int
stats(int fd)
{
	char *s;
	int rc;

	pthread_mutex_lock(&mu);
	s = stats_text();
	pthread_mutex_unlock(&mu);
	rc = reply(fd, 200, NULL, s, (size_t)-1);
	free(s);
	return rc;
}

static const char *want_key;

/* A header's value in head (malloc'd), or NULL. */
static char *
header_of(const char *head, const char *name)
{
	char pat[64];
	const char *h;

	snprintf(pat, sizeof(pat), "\r\n%s:", name);
	if ((h = strcasestr(head, pat)) == NULL)
		return NULL;
	h += strlen(pat);
	while (*h == ' ')
		h++;
	return strndup(h, strcspn(h, "\r"));
}

/* The settings a request carried, for --log: never the key itself. */
static void
log_settings(json_t *l, const char *head)
{
	char *auth = header_of(head, "authorization");
	char *apikey = header_of(head, "api-key");
	char *org = header_of(head, "openai-organization");
	char *proj = header_of(head, "openai-project");
	const char *key = NULL;

	if (auth != NULL && strncmp(auth, "Bearer ", 7) == 0)
		key = auth + 7;
	else if (apikey != NULL)
		key = apikey;
	json_object_set_new(l, "auth",
	    json_string(auth ? "bearer"
		    : apikey ? "api-key"
			     : ""));
	json_object_set_new(
	    l, "organization", org ? json_string(org) : json_null());
	json_object_set_new(
	    l, "project", proj ? json_string(proj) : json_null());
	if (want_key != NULL)
		json_object_set_new(l, "key_ok",
		    json_boolean(key != NULL && strcmp(key, want_key) == 0));
	free(auth);
	free(apikey);
	free(org);
	free(proj);
}

static void
log_request(const char *method, const char *path, const char *head,
    const char *body, size_t blen)
{
	json_t *l, *b;
	char *s;
	const char *ua = strcasestr(head, "\r\nuser-agent:");

	if (log_file == NULL)
		return;
	b = json_loadb(body, blen, 0, NULL);
	if (b == NULL)
		b = json_stringn(body, blen);
	l = json_pack("{s:f,s:s,s:s,s:s%,s:b,s:o}", "t", now(), "method",
	    method, "path", path, "user_agent", ua ? ua + 14 : "",
	    ua ? strcspn(ua + 14, "\r") : 0, "authorization",
	    strcasestr(head, "\r\nauthorization:") != NULL ||
		strcasestr(head, "\r\napi-key:") != NULL,
	    "body", b ? b : json_null());
	log_settings(l, head);
	s = json_dumps(l, JSON_COMPACT);
	pthread_mutex_lock(&mu);
	fprintf(log_file, "%s\n", s);
	fflush(log_file);
	pthread_mutex_unlock(&mu);
	free(s);
	json_decref(l);
}

/* Serve one connection's requests until it closes. */
static void *
serve(void *arg)
{
	struct conn *c = arg;

	for (;;) {
		char *end, method[16], path[1024], *cl, *body;
		size_t hlen, blen = 0;
		int rc;

		while ((end = c->len ? memmem(c->buf, c->len, "\r\n\r\n", 4)
				     : NULL) == NULL) {
			ssize_t r;

			if (c->len + 4096 > c->cap)
				c->buf =
				    realloc(c->buf, c->cap = c->cap * 2 + 8192);
			r = recv(
			    c->fd, c->buf + c->len, c->cap - c->len - 1, 0);
			if (r <= 0)
				goto done;
			c->len += (size_t)r;
		}
		hlen = (size_t)(end - c->buf) + 4;
		c->buf[hlen - 2] = '\0';
		if (sscanf(c->buf, "%15s %1023s", method, path) != 2)
			goto done;
		if ((cl = strcasestr(c->buf, "\r\ncontent-length:")) != NULL)
			blen = strtoul(cl + 17, NULL, 10);
		if (strcasestr(c->buf, "\r\nexpect: 100-continue") != NULL &&
		    c->len < hlen + blen &&
		    send_all(c->fd, "HTTP/1.1 100 Continue\r\n\r\n", 25) != 0)
			goto done;
		while (c->len < hlen + blen) {
			ssize_t r;

			if (hlen + blen + 1 > c->cap)
				c->buf =
				    realloc(c->buf, c->cap = hlen + blen + 1);
			r = recv(
			    c->fd, c->buf + c->len, c->cap - c->len - 1, 0);
			if (r <= 0)
				goto done;
			c->len += (size_t)r;
		}
		body = c->buf + hlen;
		{
			char save = body[blen];

			body[blen] = '\0';
			pthread_mutex_lock(&mu);
			n_requests++;
			last_request = now();
			pthread_mutex_unlock(&mu);
			log_request(method, path, c->buf, body, blen);
			if (strcmp(method, "GET") == 0 &&
			    strcmp(path, "/stats") == 0)
				rc = stats(c->fd);
			else if (strcmp(method, "GET") == 0 && root_dir != NULL)
				rc = page(c->fd, path, c->buf);
			else if (strcmp(method, "POST") == 0 &&
			    strstr(path, "/chat/completions") != NULL)
				rc = chat(c->fd, body, c->buf);
			else if (strcmp(method, "POST") == 0)
				rc = reply(c->fd, 200, NULL, "{}", (size_t)-1);
			else
				rc = error_reply(c->fd, 404, NULL, "not found");
			body[blen] = save;
		}
		if (rc != 0)
			goto done;
		memmove(c->buf, c->buf + hlen + blen, c->len - hlen - blen);
		c->len -= hlen + blen;
	}
done:
	close(c->fd);
	free(c->buf);
	free(c);
	return NULL;
}

/*
 * The answer of root/PATH.http for path, if there is one: 1 with *rc
 * the send's status, else 0.
 */
static int
scripted(int fd, const char *path, int *rc)
{
	char file[2048], line[4096], head[8192], reason[64] = "Scripted";
	size_t q = strcspn(path, "?#"), hl = 0, n = 0;
	int status = 200, delay = 0, drip = 0, has_len = 0;
	char *body = NULL;
	FILE *f;

	if (strstr(path, "..") != NULL ||
	    snprintf(file, sizeof(file), "%s%.*s.http", root_dir, (int)q,
		path) >= (int)sizeof(file) ||
	    (f = fopen(file, "rb")) == NULL)
		return 0;
	if (fgets(line, sizeof(line), f) != NULL)
		sscanf(line, "%d %63[^\r\n]", &status, reason);
	hl = (size_t)snprintf(
	    head, sizeof(head), "HTTP/1.1 %d %s\r\n", status, reason);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			break;
		if (strncasecmp(line, "Standin-Delay-Ms:", 17) == 0)
			delay = atoi(line + 17);
		else if (strncasecmp(line, "Standin-Drip-Ms:", 16) == 0)
			drip = atoi(line + 16);
		else if (hl + strlen(line) + 3 < sizeof(head)) {
			has_len |=
			    strncasecmp(line, "Content-Length:", 15) == 0;
			hl += (size_t)snprintf(
			    head + hl, sizeof(head) - hl, "%s\r\n", line);
		}
	}
	for (;;) {
		size_t k;

		body = realloc(body, n + 65536);
		if ((k = fread(body + n, 1, 65536, f)) == 0)
			break;
		n += k;
	}
	fclose(f);
	if (!has_len)
		hl += (size_t)snprintf(
		    head + hl, sizeof(head) - hl, "Content-Length: %zu\r\n", n);
	hl += (size_t)snprintf(head + hl, sizeof(head) - hl, "\r\n");
	pthread_mutex_lock(&mu);
	if (status > 0 && status < 600)
		by_status[status]++;
	pthread_mutex_unlock(&mu);
	save_stats();
	sleep_ms(delay);
	*rc = send_all(fd, head, hl);
	if (drip <= 0 && *rc == 0)
		*rc = send_all(fd, body, n);
	for (q = 0; drip > 0 && q < n && *rc == 0; q++) {
		*rc = send_all(fd, body + q, 1);
		sleep_ms(drip);
	}
	free(body);
	return 1;
}

/* GET of a file under --root, with the page faults. */
static int
page(int fd, const char *path, const char *head)
{
	char file[2048], hdr[512], *body = NULL;
	const char *ua = strcasestr(head, "\r\nuser-agent:");
	size_t n = 0, q = strcspn(path, "?#");
	FILE *f;
	int rc, fault, hl, is_robots = strncmp(path, "/robots.txt", 11) == 0;

	pthread_mutex_lock(&mu);
	if (is_robots)
		n_robots++;
	else {
		n_pages++;
		if (++inflight > max_inflight)
			max_inflight = inflight;
	}
	pthread_mutex_unlock(&mu);
	(void)ua;
	if (scripted(fd, path, &rc))
		goto out;
	if (is_robots && robots_status != 0) {
		rc = error_reply(fd, robots_status, NULL, "robots");
		goto out;
	}
	fault = is_robots ? -1 : draw_fault();
	if (latency_ms > 0 && !is_robots)
		sleep_ms(latency_ms);
	switch (fault) {
	case F_429:
		rc = error_reply(fd, 429, "Retry-After: 1\r\n", "slow down");
		goto out;
	case F_500:
	case F_503:
		rc = error_reply(fd, fault == F_500 ? 500 : 503, NULL, "busy");
		goto out;
	case F_SLOW:
		sleep_ms(slow_ms);
		break;
	case F_RESET: {
		struct linger l = {1, 0};

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		rc = -1;
		goto out;
	}
	default:
		break;
	}
	/* No "..": tests only, but still. */
	if (strstr(path, "..") != NULL || q == 0 ||
	    snprintf(file, sizeof(file), "%s%.*s", root_dir, (int)q, path) >=
		(int)sizeof(file) ||
	    (f = fopen(file, "rb")) == NULL) {
		rc = error_reply(fd, 404, NULL, "not found");
		goto out;
	}
	for (;;) {
		char *nb = realloc(body, n + 65536);
		size_t k;

		body = nb;
		if ((k = fread(body + n, 1, 65536, f)) == 0)
			break;
		n += k;
	}
	fclose(f);
	hl = snprintf(hdr, sizeof(hdr),
	    "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: "
	    "%zu\r\n\r\n",
	    is_robots ? "text/plain" : "text/html; charset=utf-8", n);
	pthread_mutex_lock(&mu);
	by_status[200]++;
	pthread_mutex_unlock(&mu);
	save_stats();
	rc = send_all(fd, hdr, (size_t)hl);
	if (rc == 0)
		rc = send_all(fd, body, fault == F_TRUNC ? n / 2 : n);
	if (fault == F_TRUNC)
		rc = -1;
	free(body);
out:
	if (!is_robots) {
		pthread_mutex_lock(&mu);
		inflight--;
		pthread_mutex_unlock(&mu);
	}
	return rc;
}

/* Exit when nobody has asked anything for idle_exit seconds. */
static void *
watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		double idle;

		sleep_ms(500);
		pthread_mutex_lock(&mu);
		idle = now() - last_request;
		pthread_mutex_unlock(&mu);
		if (idle > idle_exit)
			exit(0);
	}
	return NULL;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: standin [--port N] [--port-file F] [--log F] "
	    "[--latency-ms N] "
	    "[--slow-ms N]\n"
	    "               [--fault KIND:P]... [--fault-limit N] "
	    "[--status CODE] [--rpm N] [--seed S]\n"
	    "               [--idle-exit SECONDS] [--stats-file F]\n"
	    "               [--root DIR] [--robots-status CODE]\n"
	    "               [--ratelimit LEFT:RESET] [--echo-key CODE] "
	    "[--usage N]\n"
	    "               [--gzip-mb N] [--clean-answers F] "
	    "[--want-key KEY]\n"
	    "               [--error-style ollama] [--status-message MSG]\n");
	exit(2);
}

static const char *port_file;
static int port; /* 0: any free port */

/* The settings options (issue 24); 0 if o is none of them. */
static int
set_settings_option(const char *o, const char *v)
{
	if (strcmp(o, "--want-key") == 0)
		want_key = v;
	else if (strcmp(o, "--error-style") == 0 && strcmp(v, "ollama") == 0)
		error_style_ollama = 1;
	else if (strcmp(o, "--status-message") == 0)
		status_message = v;
	else
		return 0;
	return 1;
}

/* One option of the command line and its value; 0 if there is none such. */
static int
set_option(const char *o, const char *v)
{
	if (strcmp(o, "--port-file") == 0)
		port_file = v;
	else if (strcmp(o, "--port") == 0)
		port = atoi(v);
	else if (strcmp(o, "--log") == 0) {
		if ((log_file = fopen(v, "a")) == NULL) {
			perror(v);
			exit(1);
		}
	} else if (strcmp(o, "--latency-ms") == 0)
		latency_ms = atoi(v);
	else if (strcmp(o, "--slow-ms") == 0)
		slow_ms = atoi(v);
	else if (strcmp(o, "--fault-limit") == 0)
		fault_limit = atol(v);
	else if (strcmp(o, "--status") == 0)
		force_status = atoi(v);
	else if (strcmp(o, "--rpm") == 0)
		rpm = atof(v);
	else if (strcmp(o, "--stats-file") == 0)
		stats_file = v;
	else if (strcmp(o, "--root") == 0)
		root_dir = v;
	else if (strcmp(o, "--robots-status") == 0)
		robots_status = atoi(v);
	else if (strcmp(o, "--idle-exit") == 0)
		idle_exit = atof(v);
	else if (strcmp(o, "--ratelimit") == 0) {
		const char *colon = strchr(v, ':');

		if (colon == NULL)
			return 0;
		ratelimit_left = strndup(v, (size_t)(colon - v));
		ratelimit_reset = colon + 1;
	} else if (strcmp(o, "--echo-key") == 0)
		echo_key = atoi(v);
	else if (strcmp(o, "--usage") == 0) {
		usage_override = strtoll(v, NULL, 10);
		have_usage_override = 1;
	} else if (strcmp(o, "--gzip-mb") == 0)
		gzip_mb = atol(v);
	else if (strcmp(o, "--clean-answers") == 0)
		load_clean_answers(v);
	else if (strcmp(o, "--seed") == 0)
		rng_state = strtoull(v, NULL, 10);
	else if (set_settings_option(o, v))
		return 1;
	else if (strcmp(o, "--fault") == 0) {
		const char *colon = strchr(v, ':');
		int k;

		for (k = 0; k < NFAULT && colon != NULL; k++)
			if (strlen(fault_names[k]) == (size_t)(colon - v) &&
			    strncmp(fault_names[k], v, (size_t)(colon - v)) ==
				0)
				break;
		if (colon == NULL || k == NFAULT)
			return 0;
		fault_p[k] = atof(colon + 1);
	} else
		return 0;
	return 1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in a = {0};
	socklen_t alen = sizeof(a);
	int s, one = 1, i;
	FILE *pf;

	for (i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (v == NULL)
			usage();
		i++;
		if (!set_option(o, v))
			usage();
	}
	bucket = rpm / 30.0;
	bucket_at = last_request = now();
	{
		pthread_t w;

		pthread_create(&w, NULL, watchdog, NULL);
		pthread_detach(w);
	}
	signal(SIGPIPE, SIG_IGN);
	s = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port); /* 0: any free port */
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(s, 128) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &alen) != 0) {
		perror("standin");
		return 1;
	}
	if (port_file != NULL) {
		char tmp[4096];

		/* Written whole, then renamed: a reader never sees half. */
		snprintf(tmp, sizeof(tmp), "%s.tmp", port_file);
		if ((pf = fopen(tmp, "w")) == NULL) {
			perror(tmp);
			return 1;
		}
		fprintf(pf, "%d\n", ntohs(a.sin_port));
		fclose(pf);
		rename(tmp, port_file);
	} else {
		printf("%d\n", ntohs(a.sin_port));
		fflush(stdout);
	}
	for (;;) {
		int fd = accept(s, NULL, NULL);
		struct conn *c;
		pthread_t t;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("accept");
			return 1;
		}
		/* Head and body go in two writes: without this, Nagle and
		 * the client's delayed ACK add 40 ms to every reply. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = calloc(1, sizeof(*c));
		c->fd = fd;
		if (pthread_create(&t, NULL, serve, c) != 0) {
			close(fd);
			free(c);
			continue;
		}
		pthread_detach(t);
	}
}
