/*
 * Lanes: a per-record stage on several cores, written in input order.
 *
 * A stage whose records do not depend on each other (lp-clean) does its
 * work in lanes.  Each round, the run's input is cut into one batch of
 * lines per lane; every lane parses its batch, hands each record to the
 * stage's function with that lane's own context, and stamps what it keeps
 * into a buffer of its own: lane 0 on the calling thread, the others on
 * workers (core/thread.h).  Then the calling thread writes the batches in
 * input order and puts the bad lines and refused records through the
 * error policy in that same order.  So the output, the quarantine, the
 * messages and the counts are those of the one-lane loop (lp_run_next(),
 * the function, lp_run_emit()); only the time each record is stamped
 * with may differ.
 *
 * Lane contexts are the stage's, one per lane, each used by one thread
 * at a time: a context holds its own scratch and counts.  After each
 * round the stage's tally function is given each lane's context in input
 * order, to add its counts to the run's and zero them; the lanes past a
 * stop are given with keep 0 (their records are not in the run: zero
 * them only).  Under --on-error=fail a lane stops at its first bad line,
 * so the counts are those of the records up to the one that stopped the
 * run, as with one lane; only after an output that failed may the
 * stage's own counts hold the rest of that record's batch.  A record the
 * lineage stamp refuses (a "lineage" that is no object) loses its side
 * bytes too, as any refused record does.  Each lane also has a side buffer the
 * function may append to (lp-clean's redacted originals): the side bytes
 * of a kept record are handed to the side function, in order, as the
 * record is written; those of a refused record are dropped.
 */
#ifndef LP_TOOL_LANES_H
#define LP_TOOL_LANES_H

#include <stddef.h>

#include "core/buf.h"
#include "core/record.h"
#include "tool/run.h"

struct lp_lanes;

/*
 * Lanes for run: n of them (1: all on the calling thread), and the stage:
 * fn(ctx[i], rec, side, err) does lane i's work on one record, LP_OK to
 * keep it (it is stamped and written) or LP_FAILED to refuse it (err says
 * why; the policy decides); side(arg, p, n) takes each kept record's side
 * bytes (NULL: none); tally(arg, ctx[i], keep) takes lane i's counts
 * after each round.  Never NULL; fewer lanes if a worker cannot start.
 */
struct lp_lanes *lp_lanes_new(struct lp_run *run, int n,
    int (*fn)(void *ctx, struct lp_record *rec, struct lp_buf *side,
	struct lp_error *err),
    void **ctx, void (*side)(void *arg, const char *p, size_t n),
    void (*tally)(void *arg, void *ctx, int keep), void *arg);
/* Lane i's side buffer, for a context to append to. */
struct lp_buf *lp_lanes_side(struct lp_lanes *l, int i);
/* Lanes actually running (at most the n asked for). */
int lp_lanes_count(const struct lp_lanes *l);
/*
 * Run the stage over the whole input, as the lp_run_next() loop would,
 * until the input ends or the run must stop (run->status says why).
 */
void lp_lanes_run(struct lp_lanes *l);
/* Stop the workers and free the lanes (not the contexts). */
void lp_lanes_free(struct lp_lanes *l);
/*
 * Lanes for a machine: the processors this process may run on, at most
 * 4 (more than the gzip threads and the writer can feed).
 */
int lp_lanes_default(void);

#endif
