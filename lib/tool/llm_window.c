#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/json.h"
#include "tool/cli.h"
#include "tool/llm_window.h"
#include "tool/log.h"
#include "tool/run.h"

void
lp_window_init(struct lp_window *w, const struct lp_llm_options *o,
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
		    rec->err.msg);
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

/* Write the slots that are done, in order (or any, unordered). */
static void
drain(struct lp_window *w)
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
lp_window_release(struct lp_window *w)
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

/* ---- The run around the window. */

struct lp_llm_result *
lp_window_next(struct lp_llm *c, int *block)
{
	if (!*block)
		return lp_llm_poll(c);
	*block = 0;
	return lp_llm_wait(c);
}

/* The first cache write that failed: said once, the rest counted. */
static void
cache_warning(struct lp_window *w, const struct lp_llm *c)
{
	const char *why;

	if (w->cache_warned || (why = lp_llm_cache_error(c)) == NULL)
		return;
	w->cache_warned = 1;
	lp_warnx(
	    "%s (the LLM cache: a rerun pays for these answers again)", why);
}

void
lp_window_settle(struct lp_window *w, const struct lp_llm *c, const char *verb,
    long long done, long long failed)
{
	struct lp_run *run = w->run;
	size_t waiting;
	json_t *st;

	drain(w);
	waiting = w->nread - w->head;
	cache_warning(w, c);
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
lp_window_dry_run(
    struct lp_window *w, struct lp_llm *c, const char *body, size_t len)
{
	struct lp_run *run = w->run;
	json_t *j = lp_json_load(body, len, 0, NULL), *d;
	struct lp_buf out = LP_BUF_INIT;

	d = lp_llm_describe(c, j);
	lp_json_dump(d, &out);
	lp_buf_addc(&out, '\n');
	if (lp_writer_write(&run->out, out.p, out.len) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", run->out.err.msg);
	lp_buf_release(&out);
	json_decref(d);
	json_decref(j);
}

int
lp_window_close(struct lp_window *w, struct lp_llm *c, const char *what,
    long long done, long long failed, long long budget)
{
	struct lp_run *run = w->run;
	json_t *st = lp_llm_stats(c), *v;
	const char *k;

	json_object_foreach (st, k, v)
		lp_run_count(run, k, json_integer_value(v));
	json_decref(st);
	cache_warning(w, c);
	/* Interrupted: the run keeps what was done (lp_run_close: 130). */
	if (lp_interrupted)
		return lp_run_close(run, LP_EXIT_INTR);
	if (failed + budget > 0 && lp_verbosity >= 0)
		lp_warnx("%lld of %lld %s%s", failed + budget,
		    failed + budget + done, what,
		    budget ? " (token budget spent)" : "");
	/* What went wrong, where: the URL, the status, the reason. */
	if (lp_llm_unusable(c) && failed > 0) {
		if (lp_llm_stopped(c))
			lp_warnx("the API cannot be used: every call would "
				 "fail: %s",
			    lp_llm_stop_reason(c));
		else
			lp_warnx("the API cannot be used: no answer from it: "
				 "%s",
			    lp_llm_last_error(c));
		return lp_run_close(run, LP_EXIT_UNAVAILABLE);
	}
	if (failed > 0 && lp_verbosity >= 0 && *lp_llm_last_error(c))
		lp_warnx("the last failure: %s", lp_llm_last_error(c));
	return lp_run_close(
	    run, failed + budget > 0 ? LP_EXIT_FAIL : LP_EXIT_OK);
}
