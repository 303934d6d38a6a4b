/*
 * Quality gates: rules a KPI report must meet before a dataset version
 * ships.  A gates file is a JSON list, or an object holding the list under
 * "gates", of {"metric": path, "op": "<" | "<=" | ">" | ">=", "value":
 * number, "undefined": "fail" | "skip"}: metric is a dotted path into the
 * report, or a JSON Pointer ("/drift/rating.score/psi") that reaches keys
 * with dots (lp_kpi_get()).  A gate whose metric is undefined (absent, null)
 * fails, unless it says "undefined": "skip".
 *
 * struct lp_gates holds the list as loaded, the result of each gate
 * checked ({"metric", "op", "threshold", "value", "pass"}, pass null when
 * skipped) and the verdict, the number that failed.  It owns them;
 * lp_gates_release() frees them.
 */
#ifndef LP_METRICS_GATE_H
#define LP_METRICS_GATE_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

struct lp_gates {
	json_t *list;	     /* the gates */
	char *name;	     /* the file, or "built-in gates", for messages */
	json_t *results;     /* one result per gate checked, in order */
	int failed;	     /* the verdict: how many gates failed */
	json_t *doc;	     /* the file as read, for its digest */
	const char *version; /* its "version" (in doc), NULL for a bare list */
};

/*
 * Load the gates of the file path, or the built-in guidelines/gates.json
 * when path is NULL.  LP_FATAL if the file cannot be read, LP_FAILED if
 * it is not JSON or not a list (err says so: "gates.json:3: ..." or
 * "gates.json: expected a list of gates").  g is ready to release either
 * way.
 */
int lp_gates_load(struct lp_gates *g, const char *path, struct lp_error *err);
/* The number of gates loaded. */
size_t lp_gates_count(const struct lp_gates *g);
/*
 * Check gate i against report m: append its result to g->results and
 * count a failure in g->failed.  LP_FAILED if the gate is malformed (err
 * names it: "gates.json: gate 2 needs metric, op (< <= > >=) and a
 * number").  The result is g->results' last element.
 */
int lp_gates_check(
    struct lp_gates *g, size_t i, json_t *m, struct lp_error *err);
/* Free what g holds. */
void lp_gates_release(struct lp_gates *g);

#endif
