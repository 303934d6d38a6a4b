/*
 * lp-kpi's outputs for people rather than for gates (tool layer): the
 * feedback reports of --feedback DIR, one Markdown and one HTML page per
 * annotator, and the calibration pack of --calibration FILE.  Both are
 * made from what the run's record loop gives the engine plus the items
 * people discuss (metrics/items.h), kept only when one of them is asked
 * for: without them, nothing here runs and the loop does no more work.
 *
 * The feedback reports hold annotator ids and their figures, which are
 * personal data: DIR is created 0700 and the files 0600.  The calibration
 * file holds the annotators' labels and notes: created 0600 too.  Both are
 * opened before the work, so a name that cannot be written fails at once
 * (exit 74), not after the input was read.
 */
#ifndef LP_TOOL_KPI_PEOPLE_H
#define LP_TOOL_KPI_PEOPLE_H

#include <jansson.h>
#include <stddef.h>

#include "core/record.h"
#include "core/stream.h"
#include "metrics/breakdown.h"
#include "metrics/items.h"
#include "metrics/kpi.h"
#include "review/taxonomy.h"
#include "tool/run.h"

/* --calibration-top's default. */
#define LP_KPI_PEOPLE_TOP 20

struct lp_kpi_people {
	const char *dir; /* --feedback, or NULL */
	const char *cal; /* --calibration, or NULL */
	size_t top;	 /* --calibration-top */
	int on;		 /* either was asked for */
	int own_days;	 /* days is ours (no --over was given) */
	struct lp_items *items;
	struct lp_breakdown days; /* the pace's periods without --over */
	struct lp_writer cal_w;
	const struct lp_taxonomy *tax; /* names the classes */
};

/*
 * Set up p for the feedback reports in dir and the calibration pack in
 * cal (either may be NULL: then p does nothing), the top items of it,
 * with the gold key (or NULL) of the run.  over is the --over breakdown
 * (its periods are the pace's) or NULL: then a breakdown by day of p's
 * own gives them.  tax names the classes; it must outlive p.  Makes dir and opens cal as a side output of run;
 * exits 74 when either cannot be written.
 */
void lp_kpi_people_open(struct lp_kpi_people *p, struct lp_run *run,
    const char *dir, const char *cal, size_t top, json_t *gold_key, int over,
    const struct lp_taxonomy *tax);
/* Keep what p needs of rec (nothing when p is off). */
void lp_kpi_people_add(struct lp_kpi_people *p, struct lp_record *rec);
/*
 * Write the reports and the pack from m, the run's KPI report (with
 * "over" when --over was given), and whole, its engine.  Exits 74 when a
 * report cannot be written.
 */
void lp_kpi_people_write(struct lp_kpi_people *p, json_t *m,
    const struct lp_kpi *whole, unsigned long long seed);
/* Free what p holds (the side output is closed by the run). */
void lp_kpi_people_release(struct lp_kpi_people *p);

#endif
