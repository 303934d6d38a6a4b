/*
 * lp-passthru: the smallest tool on liblp, for the CLI tests and the
 * pass-through benchmark.  Reads records, optionally changes or drops
 * some, stamps lineage and writes them.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/status.h"
#include "tool/cli.h"
#include "tool/log.h"
#include "tool/run.h"

enum { OPT_DROP = LP_OPT_TOOL_BASE, OPT_REJECT, OPT_SET, OPT_SLEEP };

static const struct lp_tool tool = {"lp-passthru",
    "[-qv] [-o file] [--drop-if field] [--reject-if field] [--set path=json]\n"
    "       [--sleep-ms n] [file ...]",
    "Copy records, stamping lineage (a test driver for liblp).",
    "      --drop-if=FIELD     leave out records that have FIELD\n"
    "      --reject-if=FIELD   treat records with FIELD as bad\n"
    "      --set=PATH=JSON     set a field (forces the slow path)\n"
    "      --sleep-ms=N        pause N ms before each record\n",
    0, NULL};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    {"drop-if", required_argument, NULL, OPT_DROP},
    {"reject-if", required_argument, NULL, OPT_REJECT},
    {"set", required_argument, NULL, OPT_SET},
    {"sleep-ms", required_argument, NULL, OPT_SLEEP}, {NULL, 0, NULL, 0}};

int
main(int argc, char **argv)
{
	const char *drop = NULL, *reject = NULL, *set = NULL;
	char *set_path = NULL;
	json_t *set_val = NULL;
	struct lp_run run;
	struct lp_record *rec;
	long sleep_ms = 0;
	int ch;

	lp_cli_init(argc, argv, &tool);
	while ((ch = getopt_long(
		    argc, argv, LP_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_DROP:
			drop = optarg;
			break;
		case OPT_REJECT:
			reject = optarg;
			break;
		case OPT_SET:
			set = optarg;
			break;
		case OPT_SLEEP:
			sleep_ms = lp_cli_int("--sleep-ms", optarg, 0, 60000);
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;

	if (set != NULL) {
		const char *eq = strchr(set, '=');

		if (eq == NULL || eq == set)
			lp_cli_usage(
			    "invalid --set '%s' (want PATH=JSON)", set);
		set_path = strndup(set, (size_t)(eq - set));
		if ((set_val = json_loads(eq + 1, JSON_DECODE_ANY, NULL)) ==
		    NULL)
			lp_cli_usage("invalid JSON in --set '%s'", set);
	}

	lp_run_open(&run, argc, argv, set != NULL ? set : "");
	while (lp_run_next(&run, &rec) == LP_OK) {
		if (sleep_ms > 0) {
			struct timespec ts = {
			    sleep_ms / 1000, (sleep_ms % 1000) * 1000000};

			nanosleep(&ts, NULL);
		}
		if (drop != NULL && lp_record_get(rec, drop) != NULL) {
			lp_run_drop(&run);
			continue;
		}
		if (reject != NULL && lp_record_get(rec, reject) != NULL) {
			if (lp_run_reject(
				&run, rec, "has the rejected field") != LP_OK)
				break;
			continue;
		}
		if (set_val != NULL &&
		    lp_record_set(rec, set_path, json_deep_copy(set_val)) !=
			LP_OK) {
			if (lp_run_reject(&run, rec, rec->err.msg) != LP_OK)
				break;
			continue;
		}
		if (lp_run_emit(&run, rec) != LP_OK)
			break;
	}
	free(set_path);
	json_decref(set_val);
	return lp_run_close(&run, LP_EXIT_OK);
}
