#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/secret.h"
#include "core/status.h"
#include "core/data.h"
#include "core/error.h"
#include "core/version.h"
#include "review/taxonomy.h"
#include "tool/cli.h"
#include "tool/log.h"
#include "core/stream.h"
#include "text/text.h"

struct lp_options lp_opts;
const struct lp_tool *lp_tool;
volatile sig_atomic_t lp_interrupted;

static const char common_help[] =
    "Common options:\n"
    "  -o, --output=FILE       write to FILE, renamed into place only when\n"
    "                          the run succeeds (default stdout)\n"
    "      --plain             plain JSON Lines, not gzip (also LP_PLAIN=1;\n"
    "                          the default when stdout is a terminal)\n"
    "      --on-error=POLICY   bad input lines: fail (default, exit 65),\n"
    "                          skip (report, count) or quarantine\n"
    "      --quarantine=FILE   write each bad line, untouched, with file,\n"
    "                          line and reason to FILE\n"
    "      --max-line=SIZE     longest accepted input line (default 16M)\n"
    "      --stats=FILE        write counts and timings as JSON to FILE\n"
    "      --audit=FILE        append run events to the audit log FILE\n"
    "                          (also LP_AUDIT_LOG)\n"
    "      --pipeline-version=V  lineage.pipeline_version "
    "(LP_PIPELINE_VERSION)\n"
    "      --dataset-version=V   lineage.dataset_version (LP_DATASET_VERSION)\n"
    "      --task-id=ID        lineage.task_id (LP_TASK_ID)\n"
    "  -q, --quiet             no warnings per bad line, no progress, no\n"
    "                          summary (on a terminal too)\n"
    "  -v, --verbose           more detail on stderr, and the summary when\n"
    "                          stderr is not a terminal (scripts, cron)\n"
    "  -h, --help              show this help and exit\n"
    "  -V, --version           show versions and exit\n";

static void
on_signal(int sig)
{
	(void)sig;
	lp_interrupted = 1;
}

void
lp_cli_init(int argc, char **argv, const struct lp_tool *tool)
{
	struct sigaction sa;
	const char *v;

	lp_tool = tool;
	lp_progname = tool->name;
	/* getopt_long names the program by argv[0]: make it the short name. */
	if (argc > 0)
		argv[0] = (char *)(uintptr_t)tool->name;
	memset(&lp_opts, 0, sizeof(lp_opts));
	lp_opts.argc = argc;
	lp_opts.argv = argv;
	lp_opts.max_line = LP_MAX_LINE_DEFAULT;
	if ((v = getenv("LP_PLAIN")) != NULL && strcmp(v, "1") == 0)
		lp_opts.plain = 1;
	if ((v = getenv("LP_AUDIT_LOG")) != NULL && *v != '\0')
		lp_opts.audit = v;

	/*
	 * No SA_RESTART: a read blocked on a quiet pipe must return so the
	 * tool can save what it did.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* EPIPE comes back from write(2): the tool ends quietly. */
	signal(SIGPIPE, SIG_IGN);
}

static void
print_usage(FILE *f)
{
	fprintf(f, "usage: %s %s\n", lp_tool->name, lp_tool->synopsis);
}

void
lp_cli_usage(const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A usage error may quote a URL with a password: as log.c does. */
	lp_secret_scrub(msg, sizeof(msg));
	fprintf(stderr, "%s: %s\n", lp_progname, msg);
	print_usage(stderr);
	fprintf(
	    stderr, "Try '%s --help' for more information.\n", lp_tool->name);
	exit(LP_EXIT_USAGE);
}

static void help(void) __attribute__((noreturn));

static void
help(void)
{
	print_usage(stdout);
	printf("%s\n\n", lp_tool->purpose);
	if (lp_tool->options != NULL)
		printf("Options:\n%s\n", lp_tool->options);
	fputs(common_help, stdout);
	printf("\nExit status: 0 ok, 1 a check failed, 2 usage, 65 bad data, "
	       "69 service\nunavailable, 74 I/O error, 130 interrupted.\n"
	       "See %s(1) and labelpipe(7).\n",
	    lp_tool->name);
	if (fflush(stdout) != 0 || ferror(stdout))
		exit(LP_EXIT_IOERR);
	exit(LP_EXIT_OK);
}

long
lp_cli_int(const char *opt, const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < min || v > max)
		lp_cli_usage("invalid %s '%s' (want a whole number from %ld to "
			     "%ld)",
		    opt, arg, min, max);
	return v;
}

long long
lp_cli_size(const char *opt, const char *arg, long long min, const char *like)
{
	long long n = lp_parse_size(arg);

	if (n < min) {
		if (min % 1024 == 0)
			lp_cli_usage("invalid %s '%s' (want a size of at least "
				     "%lldk, like %s)",
			    opt, arg, min / 1024, like);
		lp_cli_usage("invalid %s '%s' (want a size of at least %lld, "
			     "like %s)",
		    opt, arg, min, like);
	}
	return n;
}

void
lp_cli_common(int ch, const char *arg)
{
	switch (ch) {
	case 'h':
		help();
		/* NOTREACHED */
	case 'V':
		printf("%s\n%s\n", lp_version_details(lp_tool->name),
		    lp_version_libraries());
		exit(fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_IOERR);
	case 'q':
		lp_verbosity = -1;
		break;
	case 'v':
		if (lp_verbosity >= 0)
			lp_verbosity++;
		break;
	case 'o':
		lp_opts.output = arg;
		break;
	case LP_OPT_PLAIN:
		lp_opts.plain = 1;
		break;
	case LP_OPT_ON_ERROR:
		if (strcmp(arg, "fail") == 0)
			lp_opts.on_error = LP_ON_ERROR_FAIL;
		else if (strcmp(arg, "skip") == 0)
			lp_opts.on_error = LP_ON_ERROR_SKIP;
		else if (strcmp(arg, "quarantine") == 0)
			lp_opts.on_error = LP_ON_ERROR_QUARANTINE;
		else
			lp_cli_usage("invalid --on-error '%s' (want fail, skip "
				     "or quarantine)",
			    arg);
		break;
	case LP_OPT_QUARANTINE:
		lp_opts.quarantine = arg;
		break;
	case LP_OPT_STATS:
		lp_opts.stats = arg;
		break;
	case LP_OPT_AUDIT:
		lp_opts.audit = arg;
		break;
	case LP_OPT_PIPELINE_VERSION:
		lp_opts.pipeline_version = arg;
		break;
	case LP_OPT_DATASET_VERSION:
		lp_opts.dataset_version = arg;
		break;
	case LP_OPT_TASK_ID:
		lp_opts.task_id = arg;
		break;
	case LP_OPT_MAX_LINE:
		lp_opts.max_line =
		    (size_t)lp_cli_size("--max-line", arg, 64, "16M");
		break;
	default:
		/* getopt_long already named the option. */
		print_usage(stderr);
		fprintf(stderr, "Try '%s --help' for more information.\n",
		    lp_tool->name);
		exit(LP_EXIT_USAGE);
	}
}

void
lp_cli_list(const char *arg, char ***v, int *n)
{
	char *copy = lp_xstrdup(arg), *save = NULL, *item;

	for (item = strtok_r(copy, ", ", &save); item != NULL;
	     item = strtok_r(NULL, ", ", &save)) {
		*v = lp_xrealloc(*v, sizeof(**v) * (size_t)(*n + 1));
		(*v)[(*n)++] = lp_xstrdup(item);
	}
	free(copy);
}

void
lp_cli_list_free(char **v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

json_t *
lp_cli_json_file(const char *path)
{
	json_error_t e;
	json_t *v = json_load_file(path, 0, &e);

	if (v == NULL) {
		/* No line: it could not be read ("unable to open PATH: ...").
		 */
		if (e.line <= 0)
			lp_errx(LP_EXIT_IOERR, "%s", e.text);
		lp_errx(LP_EXIT_DATAERR, "%s:%d: %s", path, e.line, e.text);
	}
	return v;
}

json_t *
lp_cli_json_data(const char *path, const unsigned char *builtin, size_t len)
{
	if (path != NULL)
		return lp_cli_json_file(path);
	return json_loadb((const char *)builtin, len, 0, NULL);
}

void
lp_cli_taxonomy(struct lp_taxonomy *t, const char *path)
{
	struct lp_error err = LP_ERROR_INIT;
	json_t *root =
	    lp_cli_json_data(path, lp_data_taxonomy, lp_data_taxonomy_len);

	if (lp_taxonomy_init(t, root, &err) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s: %s", path ? path : "taxonomy",
		    err.msg);
}
