#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/data.h"
#include "core/error.h"
#include "core/file.h"
#include "core/status.h"
#include "metrics/calibration.h"
#include "metrics/feedback.h"
#include "review/annotator.h"
#include "tool/cli.h"
#include "tool/kpi_people.h"
#include "tool/log.h"

/* Make dir, owner only, its parents as mkdir -p; exits when it cannot. */
static void
make_dir(const char *dir)
{
	struct stat st;

	lp_make_parents(dir);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		lp_err(LP_EXIT_IOERR, "cannot create '%s'", dir);
	if (stat(dir, &st) != 0)
		lp_err(LP_EXIT_IOERR, "cannot create '%s'", dir);
	if (!S_ISDIR(st.st_mode))
		lp_errx(
		    LP_EXIT_IOERR, "cannot create '%s': not a directory", dir);
}

void
lp_kpi_people_open(struct lp_kpi_people *p, struct lp_run *run, const char *dir,
    const char *cal, size_t top, json_t *gold_key, int over,
    const struct lp_taxonomy *tax)
{
	memset(p, 0, sizeof(*p));
	p->dir = dir;
	p->cal = cal;
	p->top = top;
	if (!(p->on = dir != NULL || cal != NULL))
		return;
	if (dir != NULL)
		make_dir(dir);
	if (cal != NULL)
		lp_run_side_open_private(run, &p->cal_w, cal, 1);
	p->items = lp_items_new(gold_key);
	if (dir != NULL && !over) {
		p->own_days = 1;
		lp_breakdown_init(&p->days, "day", NULL, 0);
		p->days.gold_key = gold_key;
	}
	p->tax = tax;
}

void
lp_kpi_people_add(struct lp_kpi_people *p, struct lp_record *rec)
{
	if (!p->on)
		return;
	lp_items_add(p->items, rec);
	if (p->own_days)
		lp_breakdown_add(&p->days, rec);
}

/* Write the page b to DIR/who.ext, 0600. */
static void
put(const struct lp_kpi_people *p, const char *who, const char *ext,
    const struct lp_buf *b)
{
	struct lp_buf path = LP_BUF_INIT;
	struct lp_writer w;

	lp_buf_addf(&path, "%s/%s.%s", p->dir, who, ext);
	if (lp_writer_open_private(&w, path.p, 0) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", w.err.msg);
	if (lp_writer_write(&w, b->p, b->len) != LP_OK) {
		struct lp_error err = w.err;

		lp_writer_close(&w, 0);
		lp_errx(LP_EXIT_IOERR, "%s", err.msg);
	}
	if (lp_writer_close(&w, 1) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", w.err.msg);
	lp_buf_release(&path);
}

/* The feedback reports, one pair per annotator. */
static void
feedback(struct lp_kpi_people *p, json_t *m, const struct lp_kpi *whole,
    unsigned long long seed)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_buf b = LP_BUF_INIT;
	json_t *periods = NULL, *fb, *a, *over;
	const char *who, *unit;

	if (p->own_days)
		periods = lp_breakdown_metrics(&p->days, whole, seed);
	else
		json_object_foreach (json_object_get(m, "over"), unit, over)
			periods = json_incref(over);
	fb = lp_feedback_build(p->items, m, periods, p->tax);
	if (json_object_size(fb) == 0 && lp_verbosity >= 0)
		lp_warnx("%s: no annotator's labels in the input: no feedback "
			 "written",
		    p->dir);
	json_object_foreach (fb, who, a) {
		/* The id names a file: only ids lp-label would take. */
		if (lp_annotator_check(who, &err) != LP_OK) {
			lp_warnx("%s: no feedback for annotator: %s", p->dir,
			    err.msg);
			continue;
		}
		lp_buf_reset(&b);
		lp_feedback_markdown(&b, fb, who, p->tax);
		put(p, who, "md", &b);
		lp_buf_reset(&b);
		lp_feedback_html(&b, fb, who, p->tax);
		put(p, who, "html", &b);
	}
	lp_buf_release(&b);
	json_decref(fb);
	json_decref(periods);
}

void
lp_kpi_people_write(struct lp_kpi_people *p, json_t *m,
    const struct lp_kpi *whole, unsigned long long seed)
{
	struct lp_buf b = LP_BUF_INIT;
	size_t n;
	json_t *ranked;

	if (p->dir != NULL)
		feedback(p, m, whole, seed);
	if (p->cal == NULL)
		return;
	ranked = lp_calibration_rank(p->items, p->top);
	n = strlen(p->cal);
	if (n > 3 && strcmp(p->cal + n - 3, ".md") == 0)
		lp_calibration_markdown(&b, ranked, p->tax);
	else
		lp_calibration_jsonl(&b, ranked);
	if (b.len > 0 && lp_writer_write(&p->cal_w, b.p, b.len) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", p->cal_w.err.msg);
	lp_buf_release(&b);
	json_decref(ranked);
}

void
lp_kpi_people_release(struct lp_kpi_people *p)
{
	if (!p->on)
		return;
	lp_items_free(p->items);
	if (p->own_days)
		lp_breakdown_release(&p->days);
}
