#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/status.h"
#include "tool/cli.h"
#include "core/json.h"
#include "tool/llmcli.h"
#include "tool/log.h"
#include "core/record.h"
#include "tool/run.h"
#include "web/http.h"

void
lp_llm_cli_init(struct lp_llm_cli *o)
{
	const char *base = getenv("LP_API_BASE");

	memset(o, 0, sizeof(*o));
	o->cfg.jobs = 8;
	o->cfg.max_retries = 5;
	o->cfg.timeout_ms = 60000;
	o->cfg.base =
	    base != NULL && *base ? base : "https://api.openai.com/v1";
	o->window = 1024;
	o->target = "zh-Hans";
	o->seed = 1;
}

double
lp_llm_cli_number(const char *opt, const char *arg, double min, double max)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(arg, &end);
	if (*arg == '\0' || *end != '\0' || errno != 0 || !(x >= min) ||
	    !(x <= max))
		lp_cli_usage(
		    "invalid %s '%s' (want %g to %g)", opt, arg, min, max);
	return x;
}

/* The first line of a key file, without its line end. */
static char *
read_key(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (f == NULL)
		lp_err(LP_EXIT_IOERR, "cannot open '%s'", path);
	n = getline(&line, &cap, f);
	fclose(f);
	while (n > 0 && strchr(" \t\r\n", line[n - 1]) != NULL)
		line[--n] = '\0';
	if (n <= 0)
		lp_errx(LP_EXIT_DATAERR, "%s: no key on its first line", path);
	return line;
}

int
lp_llm_cli_option(struct lp_llm_cli *o, int ch, const char *arg)
{
	switch (ch) {
	case 'j':
		o->cfg.jobs = (int)lp_cli_int("--jobs", arg, 1, 1024);
		break;
	case LP_OPT_API_BASE:
		o->cfg.base = arg;
		break;
	case LP_OPT_API_KEY:
		/* Refused, and the value never echoed: it is a key. */
		lp_cli_usage("no --api-key: a key on the command line shows in "
			     "ps; use LP_API_KEY or --api-key-file");
	case LP_OPT_API_KEY_FILE:
		free(o->key);
		o->key = read_key(arg);
		break;
	case LP_OPT_API_VERSION:
		o->cfg.api_version = arg;
		break;
	case LP_OPT_AZURE:
		o->cfg.azure = 1;
		break;
	case LP_OPT_CACHE:
		o->cache = arg;
		break;
	case LP_OPT_DRY_RUN:
		o->dry_run = 1;
		break;
	case LP_OPT_MAX_RETRIES:
		o->cfg.max_retries =
		    (int)lp_cli_int("--max-retries", arg, 0, 100);
		break;
	case LP_OPT_MAX_TOKENS_TOTAL:
		o->cfg.max_tokens = lp_cli_int(
		    "--max-tokens-total", arg, 1, 9000000000000000000L);
		break;
	case LP_OPT_NO_CACHE:
		o->no_cache = 1;
		break;
	case LP_OPT_RPM:
		o->cfg.rpm = lp_llm_cli_number("--rpm", arg, 1, 1e9);
		break;
	case LP_OPT_TIMEOUT:
		o->cfg.timeout_ms =
		    (long)(lp_llm_cli_number("--timeout", arg, 0.001, 86400) *
			1000);
		break;
	case LP_OPT_TPM:
		o->cfg.tpm = lp_llm_cli_number("--tpm", arg, 1, 1e12);
		break;
	case LP_OPT_UNORDERED:
		o->unordered = 1;
		break;
	case LP_OPT_WINDOW:
		o->window = (size_t)lp_cli_int("--window", arg, 1, 1 << 24);
		break;
	case LP_OPT_SEED:
		o->seed = lp_cli_int("--seed", arg, 0, 2147483647);
		break;
	case LP_OPT_TARGET:
		o->target = arg;
		break;
	case LP_OPT_TEMPERATURE:
		o->temperature = lp_llm_cli_number("--temperature", arg, 0, 2);
		break;
	default:
		return 0;
	}
	return 1;
}

void
lp_llm_cli_done(struct lp_llm_cli *o)
{
	const char *env;

	if (o->no_cache && o->cache != NULL)
		lp_cli_usage("--cache and --no-cache: choose one");
	/* The key: a file, or the environment; never a command-line value. */
	if (o->key == NULL && (env = getenv("LP_API_KEY")) != NULL && *env)
		o->key = lp_xstrdup(env);
	if (o->key == NULL && (env = getenv("OPENAI_API_KEY")) != NULL && *env)
		o->key = lp_xstrdup(env);
	o->cfg.key = o->key;
	o->cfg.user_agent = lp_http_user_agent(lp_tool->name);
	if (!o->no_cache && o->cache == NULL) {
		const char *base = getenv("XDG_CACHE_HOME");
		const char *home = getenv("HOME");
		size_t n;

		if (base != NULL && *base) {
			n = strlen(base) + 16;
			o->cache_buf = lp_xmalloc(n);
			snprintf(o->cache_buf, n, "%s/labelpipe", base);
		} else if (home != NULL && *home) {
			n = strlen(home) + 24;
			o->cache_buf = lp_xmalloc(n);
			snprintf(o->cache_buf, n, "%s/.cache/labelpipe", home);
		}
		o->cache = o->cache_buf;
	}
	o->cfg.cache_dir = o->no_cache || o->dry_run ? NULL : o->cache;
}

void
lp_llm_cli_free(struct lp_llm_cli *o)
{
	free(o->cache_buf);
	if (o->key != NULL) {
		/* The key does not outlive the run in memory. */
		memset(o->key, 0, strlen(o->key));
		free(o->key);
	}
	o->key = o->cache_buf = NULL;
}

/* The languages whose names prompts spell out. */
static const char *const languages[][2] = {{"zh-Hans", "Simplified Chinese"},
    {"zh-Hant", "Traditional Chinese"}, {"ja", "Japanese"}, {"ko", "Korean"},
    {"de", "German"}, {"fr", "French"}, {"es", "Spanish"}, {"it", "Italian"},
    {"pt", "Portuguese"}, {"nl", "Dutch"}, {"pl", "Polish"}, {"ru", "Russian"},
    {"ar", "Arabic"}, {"en", "English"}};

void
lp_llm_fill(struct lp_buf *b, const char *tmpl, const char *target,
    const char *const *vars)
{
	const char *name = target, *const * v;
	size_t i, n;

	for (i = 0; i < sizeof(languages) / sizeof(*languages); i++)
		if (strcasecmp(languages[i][0], target) == 0)
			name = languages[i][1];
	while (*tmpl != '\0') {
		if (strncmp(tmpl, "{target}", 8) == 0) {
			lp_buf_adds(b, name);
			tmpl += 8;
			continue;
		}
		if (strncmp(tmpl, "{target_code}", 13) == 0) {
			lp_buf_adds(b, target);
			tmpl += 13;
			continue;
		}
		for (v = vars; v != NULL && *v != NULL; v += 2)
			if (tmpl[0] == '{' &&
			    strncmp(tmpl + 1, v[0], n = strlen(v[0])) == 0 &&
			    tmpl[1 + n] == '}')
				break;
		if (v != NULL && *v != NULL) {
			lp_buf_adds(b, v[1]);
			tmpl += strlen(v[0]) + 2;
		} else
			lp_buf_addc(b, *tmpl++);
	}
	lp_buf_addc(b, '\0');
	b->len--;
}

/* ---- The window. */

void
lp_window_init(struct lp_window *w, const struct lp_llm_cli *o,
    const char *member, struct lp_run *run)
{
	memset(w, 0, sizeof(*w));
	w->size = o->window;
	w->slots = calloc(w->size, sizeof(*w->slots));
	if (w->slots == NULL)
		lp_errx(
		    LP_EXIT_IOERR, "no memory for a window of %zu", w->size);
	w->member = member;
	w->unordered = o->unordered;
	w->dry_run = o->dry_run;
	w->run = run;
}

struct lp_slot *
lp_window_at(struct lp_window *w, size_t seq)
{
	return &w->slots[seq % w->size];
}

int
lp_window_full(const struct lp_window *w)
{
	return w->nread - w->head == w->size;
}

struct lp_slot *
lp_window_add(struct lp_window *w, const struct lp_record *rec)
{
	struct lp_slot *s = lp_window_at(w, w->nread);

	lp_buf_reset(&s->line);
	lp_buf_add(&s->line, rec->text, rec->len);
	s->file = rec->file;
	s->lineno = rec->line;
	s->seq = w->nread++;
	s->canonical = rec->canonical && rec->root == NULL && rec->nedits == 0;
	s->waiting = s->emitted = 0;
	s->member = s->work = NULL;
	s->text = NULL;
	return s;
}

static void
emit(struct lp_window *w, struct lp_slot *s)
{
	struct lp_record *rec = &w->rec;

	/* The line parsed once already: this cannot fail but is checked. */
	if (s->canonical)
		lp_record_parse_canonical(rec, s->line.p, s->line.len);
	else if (lp_record_parse(rec, s->line.p, s->line.len) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s:%lu: %s", s->file, s->lineno,
		    rec->err);
	rec->file = s->file;
	rec->line = s->lineno;
	if (s->member != NULL)
		lp_record_put(rec, w->member, s->member);
	s->member = NULL;
	if (!w->dry_run)
		lp_run_emit(w->run, rec);
	lp_record_reset(rec);
	s->emitted = 1;
	free(s->text);
	s->text = NULL;
	json_decref(s->work);
	s->work = NULL;
}

void
lp_window_drain(struct lp_window *w)
{
	size_t i;

	if (w->unordered)
		for (i = w->head; i < w->nread; i++) {
			struct lp_slot *s = lp_window_at(w, i);

			if (s->waiting == 0 && !s->emitted)
				emit(w, s);
		}
	while (w->head < w->nread && lp_window_at(w, w->head)->waiting == 0) {
		if (!lp_window_at(w, w->head)->emitted)
			emit(w, lp_window_at(w, w->head));
		w->head++;
	}
}

void
lp_window_free(struct lp_window *w)
{
	size_t i;

	for (i = 0; i < w->size; i++) {
		lp_buf_release(&w->slots[i].line);
		free(w->slots[i].text);
		json_decref(w->slots[i].member);
		json_decref(w->slots[i].work);
	}
	free(w->slots);
	w->slots = NULL;
	lp_record_release(&w->rec);
}

/* ---- Around the client. */

json_t *
lp_llm_error_json(const struct lp_llm_result *r)
{
	static const char *const reasons[] = {
	    "ok", "http", "network", "reply", "fatal", "budget"};

	return json_pack("{s:s,s:o,s:s,s:i}", "reason", reasons[r->why],
	    "status", r->status > 0 ? json_integer(r->status) : json_null(),
	    "message", r->message, "attempts", r->attempts);
}

void
lp_llm_answer_fields(json_t *m, const struct lp_llm_result *r, int n)
{
	static int fixed = -1; /* SOURCE_DATE_EPOCH set: looked up once */

	if (r->usage != NULL && n > 1) {
		json_t *u = json_object(), *v;
		const char *k;

		json_object_foreach (r->usage, k, v)
			if (json_is_integer(v))
				json_object_set_new(u, k,
				    json_real(
					round((double)json_integer_value(v) /
					    n * 10) /
					10));
		json_object_set_new(m, "usage", u);
	} else if (r->usage != NULL)
		json_object_set_new(m, "usage", json_deep_copy(r->usage));
	if (n > 1)
		json_object_set_new(m, "batch", json_integer(n));
	/*
	 * A measurement, not a fact about the item: under SOURCE_DATE_EPOCH
	 * (reproducible builds) it is 0, so reruns are byte-identical; the
	 * audit log keeps the real one.
	 */
	if (fixed < 0)
		fixed = getenv("SOURCE_DATE_EPOCH") != NULL &&
		    *getenv("SOURCE_DATE_EPOCH") != '\0';
	json_object_set_new(m, "latency_ms",
	    json_real(fixed ? 0 : round(r->latency_ms * 10) / 10));
	json_object_set_new(m, "cached", json_boolean(r->cached));
	if (r->finish_reason != NULL)
		json_object_set_new(
		    m, "finish_reason", json_string(r->finish_reason));
}

void
lp_llm_progress(struct lp_run *run, const struct lp_llm *c, const char *verb,
    long long done, long long failed, size_t waiting)
{
	json_t *st;

	if (!lp_run_progress_due(run))
		return;
	st = lp_llm_stats(c);
	snprintf(run->note, sizeof(run->note),
	    "%lld %s, %lld failed, %zu waiting, %lld tokens, %lld retries",
	    done, verb, failed, waiting,
	    (long long)json_integer_value(json_object_get(st, "total_tokens")),
	    (long long)json_integer_value(json_object_get(st, "llm_retries")));
	json_decref(st);
	lp_run_progress(run);
}

void
lp_llm_dry_run(
    struct lp_run *run, struct lp_llm *c, const char *body, size_t len)
{
	json_t *j = lp_json_load(body, len, 0, NULL), *d;
	struct lp_buf out = LP_BUF_INIT;

	d = lp_llm_describe(c, j);
	lp_json_dump(d, &out);
	lp_buf_addc(&out, '\n');
	if (lp_writer_write(&run->out, out.p, out.len) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", run->out.err);
	lp_buf_release(&out);
	json_decref(d);
	json_decref(j);
}

int
lp_llm_close(struct lp_run *run, struct lp_llm *c, const char *what,
    long long done, long long failed, long long budget)
{
	json_t *st = lp_llm_stats(c), *v;
	const char *k;

	json_object_foreach (st, k, v)
		lp_run_count(run, k, json_integer_value(v));
	json_decref(st);
	if (failed + budget > 0 && lp_verbosity >= 0)
		lp_warnx("%lld of %lld %s%s", failed + budget,
		    failed + budget + done, what,
		    budget ? " (token budget spent)" : "");
	if (lp_llm_unusable(c) && failed > 0) {
		lp_warnx("the API cannot be used: %s",
		    lp_llm_stopped(c) ? "every call would fail (see the errors)"
				      : "no answer from it");
		return lp_run_close(run, LP_EXIT_UNAVAILABLE);
	}
	return lp_run_close(
	    run, failed + budget > 0 ? LP_EXIT_FAIL : LP_EXIT_OK);
}
