/*
 * OpenLineage export: the runs of an audit log (core/audit.h) as
 * OpenLineage RunEvents (spec 2-0-2), so a lineage server (Marquez, say)
 * sees each labelpipe run as a job with its input and output datasets.
 * Each run gives a START and, when its end is logged, a COMPLETE (exit
 * status 0 or 1) or a FAIL (with an errorMessage facet); a run that died
 * without an end gives its START only.  A run's UUID is derived from its
 * id and the sequence number of its start, so every export gives a run
 * the same UUID.
 */
#ifndef LP_METRICS_OPENLINEAGE_H
#define LP_METRICS_OPENLINEAGE_H

#include <stddef.h>

#include "core/error.h"
#include "core/stream.h"

/*
 * Write the events of every run in the audit log at path to w, one JSON
 * line each, and set *nruns to the number of runs.  The run own_run_id
 * (the one exporting, whose end is not logged yet) is left out: its start
 * is the last one with that id.  Lines longer than max_line are errors.
 * LP_OK; LP_FAILED if a line is not an audit event (err: "PATH:LINE: not
 * an audit event"); LP_FATAL if the log cannot be read or w written.
 */
int lp_openlineage_export(const char *path, const char *own_run_id,
    size_t max_line, struct lp_writer *w, long *nruns, struct lp_error *err);

#endif
