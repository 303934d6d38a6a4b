/*
 * The LLM tools' window, part of the tool layer: records kept as their
 * lines, in input order, while their answers come back in any order.
 *
 * A slot is done when it waits for no more answers; done slots leave from
 * the head (or at once, with --unordered) through the run, with member,
 * if set, put under the window's member name ("translation", "rating").
 * The window holds at most --window records, so memory stays bounded
 * however long the input.  It also speaks for the run around it: progress
 * on a terminal, --dry-run's requests, and the closing counts and status.
 * A line that no longer parses when written (it parsed when read) exits
 * 65; no memory for the window exits 74.
 */
#ifndef LP_TOOL_LLM_WINDOW_H
#define LP_TOOL_LLM_WINDOW_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/record.h"
#include "llm/llm.h"
#include "tool/llm_options.h"

struct lp_run;

struct lp_slot {
	struct lp_buf line;
	const char *file;
	unsigned long lineno;
	size_t seq;	/* its place in the input */
	int waiting;	/* answers still to come */
	int emitted;	/* written (unordered) */
	int canonical;	/* line was canonical: no need to check it again */
	char *text;	/* the tool's input text, freed on emit */
	json_t *member; /* what goes in the record, or NULL: unchanged */
	json_t *work;	/* the tool's partial results, freed on emit */
};

struct lp_window {
	struct lp_slot *slots;
	size_t size, head, nread; /* slots [head, nread) are in the window */
	const char *member;
	int unordered, dry_run;
	int cache_warned; /* the first failed cache write was reported */
	struct lp_run *run;
	struct lp_record rec; /* reused for each record written */
};

/*
 * A window of o->window slots writing to run, with the answers under
 * member.
 */
void lp_window_init(struct lp_window *w, const struct lp_llm_options *o,
    const char *member, struct lp_run *run);
/* A new slot for rec at the tail (the window must not be full). */
struct lp_slot *lp_window_add(struct lp_window *w, const struct lp_record *rec);
/* The slot of the seq'th record (which must be in the window). */
struct lp_slot *lp_window_at(struct lp_window *w, size_t seq);
/* 1 when no slot is free: wait for the oldest to be done. */
int lp_window_full(const struct lp_window *w);
/* Free the slots and what they hold. */
void lp_window_release(struct lp_window *w);

/*
 * The next finished request of c, for the tool to put in its slots: with
 * *block set, waiting for one (and clearing *block, so that a pump waits
 * once), else only one that is ready; NULL when there is none.
 */
struct lp_llm_result *lp_window_next(struct lp_llm *c, int *block);
/*
 * After the results: write the slots that are done, in order (or any,
 * unordered), and show progress on a terminal: "N <verb>, N failed, N
 * waiting, N tokens, N retries" after the run's own figures.  Also the
 * one warning of a cache that cannot be written ("cannot write 'PATH':
 * why"), at the first failure.
 */
void lp_window_settle(struct lp_window *w, const struct lp_llm *c,
    const char *verb, long long done, long long failed);
/* --dry-run: write the request (canonical bytes) as the client sees it. */
void lp_window_dry_run(
    struct lp_window *w, struct lp_llm *c, const char *body, size_t len);
/*
 * Close the run: the client's counters into the stats, a warning when
 * some items failed, and the exit status: 130 when interrupted (SIGINT,
 * SIGTERM: the records done in order were written, the answers cached,
 * an -o file left as it was), 69 when the API cannot be used (a fatal
 * answer, or no answer at all), 1 when any item failed, else 0.
 */
int lp_window_close(struct lp_window *w, struct lp_llm *c, const char *what,
    long long done, long long failed, long long budget);

#endif
