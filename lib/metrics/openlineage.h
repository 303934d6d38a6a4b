/*
 * OpenLineage export: the runs of an audit log (core/audit.h) as
 * OpenLineage RunEvents (spec 2-0-2), so a lineage server (Marquez, say)
 * sees each labelpipe run as a job with its input and output datasets.
 * Each run gives a START and, when its end is logged, a COMPLETE (exit
 * status 0 or 1) or a FAIL; a run that died without an end gives its
 * START only.  A run's UUID is derived from its id and the sequence
 * number of its start, so every export gives a run the same UUID.
 *
 * What the events say is what the run did.  Inputs are the files of the
 * run_start event and those its run_end lists (read beside the records:
 * lp-scrape's --from-warc archive, lp-label's answers).  Outputs are
 * listed by COMPLETE only: a START does not know yet whether its output
 * will be kept, and a failed run keeps none.  Standard input and output
 * ("-") and device or process files (/dev/..., /proc/...: /dev/null, a
 * shell's pipe) are no datasets and never appear.  A FAIL's errorMessage
 * facet carries the first line of the error the run_end recorded
 * ("error"), else the exit status.  The producer and every facet's
 * _schemaURL are https URLs: OpenLineage's own facet schemas, and the
 * labelpipe run facet's schema, LabelpipeRunFacet.json, in labelpipe's
 * repository at the release's tag (tests/data/openlineage/).
 */
#ifndef LP_METRICS_OPENLINEAGE_H
#define LP_METRICS_OPENLINEAGE_H

#include <stddef.h>

#include "core/error.h"
#include "core/stream.h"
#include "core/version.h"

/* The event producer: labelpipe's repository at this release. */
#define LP_OPENLINEAGE_PRODUCER                                                \
	"https://github.com/labelpipe/labelpipe/tree/v" LP_VERSION
/* The job namespace when none is given. */
#define LP_OPENLINEAGE_NAMESPACE "labelpipe"

/* One export: what to read, and where each event goes. */
struct lp_openlineage_export {
	const char *path;	   /* the audit log */
	const char *own_run_id;	   /* the exporting run, left out ("") */
	const char *job_namespace; /* NULL: LP_OPENLINEAGE_NAMESPACE */
	size_t max_line;	   /* longer lines of the log are errors */
	/*
	 * Called with each event, one JSON line with its newline; a status
	 * other than LP_OK ends the export with it (err set).
	 */
	int (*event)(
	    void *arg, const char *line, size_t len, struct lp_error *err);
	void *arg;
	long nruns; /* out: the runs exported */
};

/*
 * Make the events of every run in the log x->path and hand each to
 * x->event.  The run x->own_run_id (the one exporting, whose end is not
 * logged yet) is left out: its start is the last one with that id.
 * LP_OK; LP_FAILED if a line is not an audit event (err: "PATH:LINE: not
 * an audit event"); LP_FATAL if the log cannot be read; or what
 * x->event returned.
 */
int lp_openlineage_export_each(
    struct lp_openlineage_export *x, struct lp_error *err);
/*
 * lp_openlineage_export_each() into the writer w, in the default
 * namespace; *nruns the runs exported.  LP_FATAL also if w cannot be
 * written.
 */
int lp_openlineage_export(const char *path, const char *own_run_id,
    size_t max_line, struct lp_writer *w, long *nruns, struct lp_error *err);

#endif
