/*
 * Command lines shared by every tool: the common options, usage and help,
 * exit statuses, signals.  Tool side of liblp: it prints and may exit.
 *
 * A tool's main():
 *
 *	lp_cli_init(argc, argv, &tool);
 *	while ((ch = getopt_long(argc, argv, LP_COMMON_SHORTOPTS "k:",
 *	    longopts, NULL)) != -1)
 *		switch (ch) {
 *		case 'k': ...; break;
 *		default: lp_cli_common(ch, optarg);
 *		}
 *	argc -= optind;
 *	argv += optind;
 *	... then lp_run_open(), the record loop, lp_run_close().
 */
#ifndef LP_CLI_H
#define LP_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stddef.h>

enum lp_exit {
	LP_EXIT_OK = 0,
	LP_EXIT_FAIL = 1,
	LP_EXIT_USAGE = 2,
	LP_EXIT_DATAERR = 65,
	LP_EXIT_UNAVAILABLE = 69,
	LP_EXIT_IOERR = 74,
	LP_EXIT_INTR = 130
};

enum lp_on_error { LP_ON_ERROR_FAIL, LP_ON_ERROR_SKIP, LP_ON_ERROR_QUARANTINE };

/* Long-only common options use values above any character. */
enum {
	LP_OPT_PLAIN = 0x100,
	LP_OPT_ON_ERROR,
	LP_OPT_QUARANTINE,
	LP_OPT_STATS,
	LP_OPT_AUDIT,
	LP_OPT_PIPELINE_VERSION,
	LP_OPT_DATASET_VERSION,
	LP_OPT_TASK_ID,
	LP_OPT_MAX_LINE,
	LP_OPT_TOOL_BASE = 0x200 /* a tool's own long-only options */
};

#define LP_COMMON_SHORTOPTS "hVqvo:"
/* clang-format off */
#define LP_COMMON_LONGOPTS \
	{"audit",            required_argument, NULL, LP_OPT_AUDIT}, \
	{"dataset-version",  required_argument, NULL, LP_OPT_DATASET_VERSION}, \
	{"help",             no_argument,       NULL, 'h'}, \
	{"max-line",         required_argument, NULL, LP_OPT_MAX_LINE}, \
	{"on-error",         required_argument, NULL, LP_OPT_ON_ERROR}, \
	{"output",           required_argument, NULL, 'o'}, \
	{"pipeline-version", required_argument, NULL, LP_OPT_PIPELINE_VERSION}, \
	{"plain",            no_argument,       NULL, LP_OPT_PLAIN}, \
	{"quarantine",       required_argument, NULL, LP_OPT_QUARANTINE}, \
	{"quiet",            no_argument,       NULL, 'q'}, \
	{"stats",            required_argument, NULL, LP_OPT_STATS}, \
	{"task-id",          required_argument, NULL, LP_OPT_TASK_ID}, \
	{"verbose",          no_argument,       NULL, 'v'}, \
	{"version",          no_argument,       NULL, 'V'}
/* clang-format on */

/* What a tool tells the CLI about itself. */
struct lp_tool {
	const char *name;     /* "lp-clean" */
	const char *synopsis; /* "[-qv] [-o file] [--fields list] [file ...]" */
	const char *purpose;  /* one line */
	const char *options;  /* the tool's own option help, or NULL */
	/* 1: writes a report of its own (-o names it), no records */
	int report;
	/*
	 * The closing summary in the tool's words, as lp_summary_format()
	 * reads them: the run's counts (in, out, dropped, skipped,
	 * quarantined, failed), the tool's lp_run_count() and lp_run_say()
	 * counts.  NULL: "{in} in, {out} out[, {dropped} dropped]".
	 */
	const char *summary;
};

/* The common options, as parsed. */
struct lp_options {
	const char *output;
	int plain;
	enum lp_on_error on_error;
	const char *quarantine;
	const char *stats;
	const char *audit;
	const char *pipeline_version;
	const char *dataset_version;
	const char *task_id;
	size_t max_line;
	int argc; /* the whole command line, for the audit log */
	char **argv;
	/* Set by the tool: a new -o file is the owner's only (0600). */
	int private_output;
};

extern struct lp_options lp_opts;
extern const struct lp_tool *lp_tool;

void lp_cli_init(int argc, char **argv, const struct lp_tool *tool);
/* Handle a common option, or report an unknown one (exits 2). */
void lp_cli_common(int ch, const char *arg);
/* Print "progname: message", the synopsis and a hint; exit 2. */
void lp_cli_usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/*
 * The integer value of option opt's argument, which must lie in [min, max];
 * anything else is a usage error (exit 2).
 */
long lp_cli_int(const char *opt, const char *arg, long min, long max);
/*
 * The size (lp_parse_size(): "512", "64k", "8M") of option opt's argument,
 * at least min; anything else is a usage error (exit 2) naming min and an
 * example such as "512M".
 */
long long lp_cli_size(
    const char *opt, const char *arg, long long min, const char *like);
/*
 * Append the items of a comma-separated option value ("title, price.amount")
 * to (*v)[0..*n), as copies, spaces around items and empty items dropped.
 */
void lp_cli_list(const char *arg, char ***v, int *n);
void lp_cli_list_free(char **v, int n);
/*
 * A JSON file named by an option (gates, a schema, a baseline): its value,
 * or exit 65 with "file:line: why" (74 if it cannot be read).
 */
json_t *lp_cli_json_file(const char *path);
struct lp_taxonomy;
/*
 * A JSON file named by an option, as lp_cli_json_file(), or with path NULL
 * the built-in document builtin[0..len) (lib/core/data.h) it stands in for.
 */
json_t *lp_cli_json_data(
    const char *path, const unsigned char *builtin, size_t len);
/*
 * The label taxonomy of --taxonomy path, or the shipped one with path
 * NULL, into t (lp_taxonomy_release() frees it); exits 65 with
 * "path: why" when it is bad (74 if it cannot be read).
 */
void lp_cli_taxonomy(struct lp_taxonomy *t, const char *path);

/* Set by SIGINT/SIGTERM; the record loop stops and the tool exits 130. */
extern volatile sig_atomic_t lp_interrupted;

#endif
