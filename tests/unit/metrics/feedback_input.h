/*
 * The input of the feedback and calibration tests: tests/data/feedback's
 * labelled.jsonl (six items, three annotators, two days) and gold.key,
 * read as lp-kpi reads them, into the KPI engine, a breakdown by day and
 * the items.  The expected figures in the tests are worked out by hand in
 * tests/data/feedback/README.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/data.h"
#include "core/record.h"
#include "core/status.h"
#include "metrics/breakdown.h"
#include "metrics/items.h"
#include "metrics/kpi.h"
#include "review/gold.h"
#include "review/taxonomy.h"

struct input {
	json_t *key, *m, *days;
	struct lp_kpi *kpi;
	struct lp_breakdown day;
	struct lp_items *items;
	struct lp_taxonomy tax;
};

/* A file of tests/data/feedback. */
static const char *
data_path(const char *name)
{
	static char path[4096];
	const char *dir = getenv("LP_TEST_DATA");

	snprintf(path, sizeof(path), "%s/feedback/%s", dir ? dir : "tests/data",
	    name);
	return path;
}

static void
input_read(struct input *in)
{
	struct lp_error err = LP_ERROR_INIT;
	char line[8192];
	FILE *f;

	if (lp_gold_key_load(data_path("gold.key"), &in->key, &err) != LP_OK) {
		fprintf(stderr, "%s\n", err.msg);
		exit(1);
	}
	in->kpi = lp_kpi_new(NULL, 0, NULL);
	lp_kpi_gold_key(in->kpi, in->key);
	lp_breakdown_init(&in->day, "day", NULL, 0);
	in->day.gold_key = in->key;
	in->items = lp_items_new(in->key);
	if ((f = fopen(data_path("labelled.jsonl"), "r")) == NULL) {
		perror(data_path("labelled.jsonl"));
		exit(1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		struct lp_record rec;

		lp_record_init(&rec);
		if (lp_record_parse(&rec, line, strlen(line) - 1) != LP_OK)
			exit(1);
		lp_kpi_add(in->kpi, &rec);
		lp_breakdown_add(&in->day, &rec);
		lp_items_add(in->items, &rec);
		lp_record_release(&rec);
	}
	fclose(f);
	in->m = lp_kpi_metrics(in->kpi, 0, 1);
	in->days = lp_breakdown_metrics(&in->day, in->kpi, 1);
	if (lp_taxonomy_init(&in->tax,
		json_loadb((const char *)lp_data_taxonomy, lp_data_taxonomy_len,
		    0, NULL),
		&err) != LP_OK)
		exit(1);
}

static void
input_release(struct input *in)
{
	json_decref(in->m);
	json_decref(in->days);
	lp_breakdown_release(&in->day);
	lp_kpi_free(in->kpi);
	lp_items_free(in->items);
	lp_taxonomy_release(&in->tax);
	json_decref(in->key);
}
