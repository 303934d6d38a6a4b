/*
 * lp-scrape: search-result pages to listing records.  Pages come from the
 * web through a polite fetcher (web/fetch: robots.txt, a delay and a cap
 * per host, backoff on 429/503, retries), from local files or from a WARC
 * archive (web/replay); the crawl (web/crawl) turns each into records by
 * a profile (web/profile, rules as data; eBay UK built in) and hands them
 * back in order.  This file is the options, the wiring and the messages.
 *
 * Records leave in the order of the start URLs, each start's pages in
 * order, though the starts are fetched at once.  A page that is a bot
 * check ends the run with status 69: it never becomes zero records.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/data.h"
#include "core/record.h"
#include "core/status.h"
#include "text/text.h"
#include "tool/cli.h"
#include "tool/log.h"
#include "tool/run.h"
#include "web/crawl.h"
#include "web/fetch.h"
#include "web/profile.h"
#include "web/replay.h"
#include "web/robots.h"
#include "web/warc.h"

enum {
	OPT_CHECK_ROBOTS = LP_OPT_TOOL_BASE,
	OPT_CONTACT,
	OPT_DELAY,
	OPT_IGNORE_ROBOTS,
	OPT_FROM_WARC,
	OPT_MAX_PAGE,
	OPT_MAX_RETRIES,
	OPT_PAGES,
	OPT_PER_HOST,
	OPT_PROFILE,
	OPT_QUERY,
	OPT_RESUME,
	OPT_SITE,
	OPT_TIMEOUT,
	OPT_WARC
};

static const struct lp_tool tool = {"lp-scrape",
    "[-qv] [-o file] [--query text] [--pages n] [--profile file]\n"
    "       [--delay seconds] [--per-host n] [--contact address]\n"
    "       [--ignore-robots] [--warc file [--resume]] [url | file ...]\n"
    "       lp-scrape --from-warc file\n"
    "       lp-scrape --check-robots robots.txt agent url ...",
    "Fetch search-result pages politely and write one record per listing.",
    "      --query=TEXT        search for TEXT on the site\n"
    "      --site=NAME         the built-in profile (ebay-uk, the default)\n"
    "      --profile=FILE      extraction rules from FILE instead\n"
    "      --pages=N           follow up to N pages per start (default 1)\n"
    "      --delay=SECONDS     between requests to a host (default 1)\n"
    "      --per-host=N        requests at once per host (default 2)\n"
    "      --contact=ADDRESS   an e-mail or URL for the User-Agent\n"
    "                          (also LP_CONTACT)\n"
    "      --ignore-robots     do not obey robots.txt (audit-logged)\n"
    "      --max-retries=N     retries of a failed page (default 4)\n"
    "      --timeout=SECONDS   per attempt (default 30)\n"
    "      --max-page=SIZE     largest page accepted (default 8M)\n"
    "      --warc=FILE         archive every request and response in FILE\n"
    "                          (WARC/1.1, a gzip member per record)\n"
    "      --resume            with --warc: keep FILE and fetch only what\n"
    "                          it lacks (an interrupted crawl goes on)\n"
    "      --from-warc=FILE    records from an archive, fetching nothing\n"
    "      --check-robots      print allowed or disallowed for each url\n"
    "                          under robots.txt for agent, and exit\n",
    0, "{out:listing} from {pages:page}[, {pages_failed} failed]"};

static const struct option longopts[] = {LP_COMMON_LONGOPTS,
    {"check-robots", no_argument, NULL, OPT_CHECK_ROBOTS},
    {"contact", required_argument, NULL, OPT_CONTACT},
    {"delay", required_argument, NULL, OPT_DELAY},
    {"ignore-robots", no_argument, NULL, OPT_IGNORE_ROBOTS},
    {"from-warc", required_argument, NULL, OPT_FROM_WARC},
    {"max-page", required_argument, NULL, OPT_MAX_PAGE},
    {"max-retries", required_argument, NULL, OPT_MAX_RETRIES},
    {"pages", required_argument, NULL, OPT_PAGES},
    {"per-host", required_argument, NULL, OPT_PER_HOST},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"query", required_argument, NULL, OPT_QUERY},
    {"resume", no_argument, NULL, OPT_RESUME},
    {"site", required_argument, NULL, OPT_SITE},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"warc", required_argument, NULL, OPT_WARC}, {NULL, 0, NULL, 0}};

/* The run: the options, then what they open. */
struct scrape {
	struct lp_fetch_config fc;
	const char *profile_path, *contact, *query, *warc_path, *from_warc;
	int npages, resume, check;
	json_t *spec;
	struct lp_profile *profile;
	char ua[512];
	struct lp_run run;
	struct lp_crawl crawl;
	struct lp_fetch *fetch;
	struct lp_warc warc; /* --warc */
	int have_warc, warc_failed;
	struct lp_replay from;	   /* --resume, --from-warc */
	struct lp_warc_record rec; /* a page from it */
	int resumed;
	struct lp_buf scratch; /* a record being made */
};

/* ---- The archive (WARC). */

/* The archive failing ends the run (74), and is said once. */
static void
archive_failed(struct scrape *sc)
{
	sc->warc_failed = 1;
	lp_warnx("%s", sc->warc.err.msg);
}

/* robots.txt and retried attempts: archived as they come. */
static void
on_exchange(void *arg, const struct lp_fetch_result *x)
{
	struct scrape *sc = arg;

	if (!sc->warc_failed &&
	    lp_crawl_archive_exchange(
		&sc->warc, x, lp_lineage_now(&sc->run.lineage)) != LP_OK)
		archive_failed(sc);
}

/* ---- Pages. */

/* What a read said: a failure (named by url), a bot check, no results. */
static void
said(const struct lp_crawl_page *pg, int rc, const char *url,
    const struct lp_error *err)
{
	if (rc != LP_OK)
		lp_warnx("%s: %s", url, err->msg);
	else if (pg->blocked)
		lp_warnx(
		    "%s: the page is a bot check (blocked); stopping", pg->url);
	else if (pg->no_results && pg->n == 1)
		lp_warnx("%s: no results", pg->url);
}

/* Write the pages that are in, in order. */
static void
drain(struct scrape *sc)
{
	struct lp_crawl_page *pg;
	struct lp_record rec;
	size_t i;

	while ((pg = lp_crawl_ready(&sc->crawl)) != NULL) {
		/* The archive holds pages in output order too. */
		if (!sc->warc_failed &&
		    lp_crawl_archive(pg, &sc->warc) != LP_OK)
			archive_failed(sc);
		for (i = 0; i < json_array_size(pg->items); i++) {
			lp_record_init(&rec);
			if (lp_crawl_record(
				&sc->crawl, pg, i, &sc->scratch, &rec) == LP_OK)
				lp_run_emit(&sc->run, &rec);
			lp_record_release(&rec);
		}
		lp_crawl_written(&sc->crawl);
	}
}

/* A fetched page (or why there is none). */
static void
land(struct scrape *sc, struct lp_fetch_result *r)
{
	struct lp_crawl_ask *a = r->user;
	struct lp_error err = LP_ERROR_INIT;
	struct lp_crawl_page *pg;

	pg = lp_crawl_page_in(
	    &sc->crawl, a->start, a->n - 1, a->n, r->final_url, r->status, -1);
	lp_run_audit(&sc->run, "fetch",
	    json_pack("{s:s,s:i,s:i,s:I,s:f}", "url", r->url, "status",
		(int)r->status, "attempts", r->attempts, "bytes",
		(json_int_t)r->body.len, "ms", r->ms));
	if (sc->have_warc && r->status > 0)
		lp_crawl_page_keep(
		    pg, &r->request, &r->head, &r->body, r->url, r->ip);
	if (r->why == LP_FETCH_ROBOTS) {
		lp_warnx("%s: %s: not fetched", r->url, r->err);
		sc->crawl.counts.robots++;
	} else if (r->why != LP_FETCH_OK) {
		lp_warnx(
		    "%s: %s (after %d attempts)", r->url, r->err, r->attempts);
		sc->crawl.counts.failed++;
	} else
		said(pg,
		    lp_crawl_read(
			&sc->crawl, pg, &r->body, r->content_type, &err),
		    r->url, &err);
	lp_crawl_ask_free(a);
	lp_fetch_result_free(r);
}

/*
 * The pages the crawl asks for: each taken from the archive (--resume)
 * or fetched.  An archived page may ask for the next at once.
 */
static void
asks(struct scrape *sc)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_crawl_page *pg;
	struct lp_crawl_ask *a;
	int rc;

	while ((a = lp_crawl_next_ask(&sc->crawl)) != NULL) {
		rc = lp_crawl_resume(
		    &sc->crawl, &sc->from, a, &sc->rec, &pg, &err);
		if (rc == LP_FATAL)
			lp_errx(LP_EXIT_DATAERR, "%s", err.msg);
		if (rc == LP_EOF) {
			lp_fetch_add(sc->fetch, a->url, a);
			continue;
		}
		said(pg, rc, pg->url, &err);
		lp_crawl_ask_free(a);
	}
}

/*
 * An archive's pages indexed (by_url: for --resume; a directory refused);
 * a record cut short by an interruption is reported, the rest used.
 */
static void
open_replay(struct scrape *sc, const char *path, int by_url)
{
	if (lp_replay_open(&sc->from, path) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", sc->from.err.msg);
	if (lp_replay_index(&sc->from, by_url) != LP_OK)
		lp_errx(LP_EXIT_DATAERR, "%s", sc->from.err.msg);
	if (sc->from.torn)
		lp_warnx("%s (an interrupted crawl): the records before it "
			 "are used",
		    sc->from.err.msg);
}

/* --from-warc: the pages of an archive, in the order they were written. */
static void
replay(struct scrape *sc, const char *path)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_crawl_page *pg;
	size_t i;
	int rc;

	open_replay(sc, path, 0);
	/* The archive is the run's input (its run_end names it). */
	lp_run_note_input(&sc->run, path);
	sc->crawl.npages = sc->from.most;
	for (i = 0; i < sc->from.n && !sc->crawl.blocked && !lp_interrupted;
	     i++) {
		rc = lp_crawl_replay(
		    &sc->crawl, &sc->from, i, &sc->rec, &pg, &err);
		if (rc == LP_FATAL)
			lp_errx(LP_EXIT_DATAERR, "%s", err.msg);
		said(pg, rc, pg->url, &err);
		drain(sc);
	}
}

/* ---- Starts. */

static int
check_robots(int argc, char **argv)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_buf out = LP_BUF_INIT;
	struct lp_robots *r;
	unsigned long line;
	size_t i;

	if (argc < 3)
		lp_cli_usage("--check-robots needs robots.txt, an agent and "
			     "URLs");
	if ((r = lp_robots_load(argv[0], argv[1], &err)) == NULL)
		lp_errx(LP_EXIT_IOERR, "%s", err.msg);
	for (i = 0; i < lp_robots_nwarnings(r); i++) {
		const char *why = lp_robots_warning(r, i, &line);

		lp_warnx("%s:%lu: %s", argv[0], line, why);
	}
	lp_robots_verdicts(r, argv + 2, argc - 2, &out);
	fputs(out.p, stdout);
	lp_buf_release(&out);
	lp_robots_free(r);
	return fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_IOERR;
}

/*
 * The starts: the search, the command line's, else standard input's (one
 * URL a line, or records with a "url").
 */
static void
add_starts(struct scrape *sc, int argc, char **argv)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_reader *in = &sc->run.in;
	const char *line;
	size_t len;
	int i;

	if (sc->query != NULL && lp_crawl_add_search(&sc->crawl) != LP_OK)
		lp_cli_usage("--query: the profile has no \"search\" URL");
	for (i = 0; i < argc; i++)
		lp_crawl_add_start(&sc->crawl, argv[i], 0);
	if (sc->query != NULL || argc > 0)
		return;
	while (lp_reader_next(in, &line, &len) == LP_OK)
		if (lp_crawl_add_line(&sc->crawl, line, len, &err) != LP_OK)
			lp_warnx("%s:%lu: %s", lp_reader_name(in),
			    lp_reader_lineno(in), err.msg);
}

/*
 * --warc: a new archive, or with --resume the one there, its pages
 * indexed for asks() and a record cut short by the interruption cut off.
 */
static void
open_archive(struct scrape *sc)
{
	const char *path = sc->warc_path;

	if (sc->resume && access(path, F_OK) == 0) {
		open_replay(sc, path, 1);
		if (lp_replay_cut(&sc->from, path) != LP_OK)
			lp_errx(LP_EXIT_IOERR, "%s", sc->from.err.msg);
		lp_debug("%s: %zu pages archived", path, sc->from.n);
		sc->resumed = 1;
	}
	lp_run_check_output(&sc->run, "--warc", path);
	if (lp_warc_create(&sc->warc, path, sc->resumed) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", sc->warc.err.msg);
	sc->have_warc = 1;
	sc->fc.keep_raw = 1;
	sc->fc.exchange = on_exchange;
	sc->fc.exchange_arg = sc;
	if (lp_warc_put_warcinfo(&sc->warc, lp_lineage_now(&sc->run.lineage),
		"lp-scrape", !sc->fc.ignore_robots, sc->ua) != LP_OK)
		lp_errx(LP_EXIT_IOERR, "%s", sc->warc.err.msg);
}

/* ---- Options and the run. */

static void
parse_options(struct scrape *sc, int argc, char **argv)
{
	int ch;

	while ((ch = getopt_long(
		    argc, argv, LP_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_CHECK_ROBOTS:
			sc->check = 1;
			break;
		case OPT_CONTACT:
			sc->contact = optarg;
			break;
		case OPT_DELAY:
			sc->fc.delay = strtod(optarg, NULL);
			if (!(sc->fc.delay >= 0) || sc->fc.delay > 3600)
				lp_cli_usage("invalid --delay '%s' (want 0 to "
					     "3600 seconds)",
				    optarg);
			break;
		case OPT_FROM_WARC:
			sc->from_warc = optarg;
			break;
		case OPT_IGNORE_ROBOTS:
			sc->fc.ignore_robots = 1;
			break;
		case OPT_MAX_PAGE:
			sc->fc.max_bytes = (size_t)lp_cli_size(
			    "--max-page", optarg, 1024, "8M");
			break;
		case OPT_MAX_RETRIES:
			sc->fc.max_retries =
			    (int)lp_cli_int("--max-retries", optarg, 0, 100);
			break;
		case OPT_PAGES:
			sc->npages =
			    (int)lp_cli_int("--pages", optarg, 1, 1000);
			break;
		case OPT_PER_HOST:
			sc->fc.per_host =
			    (int)lp_cli_int("--per-host", optarg, 1, 64);
			break;
		case OPT_PROFILE:
			sc->profile_path = optarg;
			break;
		case OPT_QUERY:
			sc->query = optarg;
			break;
		case OPT_RESUME:
			sc->resume = 1;
			break;
		case OPT_SITE:
			if (strcmp(optarg, "ebay-uk") != 0)
				lp_cli_usage("unknown --site '%s' (built in: "
					     "ebay-uk; or --profile FILE)",
				    optarg);
			break;
		case OPT_TIMEOUT:
			sc->fc.timeout_ms =
			    lp_cli_int("--timeout", optarg, 1, 3600) * 1000;
			break;
		case OPT_WARC:
			sc->warc_path = optarg;
			break;
		default:
			lp_cli_common(ch, optarg);
		}
	}
}

/*
 * The profile, the User-Agent, the run (output, lineage, audit), the
 * crawl, the archive and the fetcher.
 */
static void
open_all(struct scrape *sc)
{
	struct lp_error err = LP_ERROR_INIT;
	const char *site, *version;
	char cfgtext[512];

	sc->spec = lp_cli_json_data(
	    sc->profile_path, lp_data_ebay_profile, lp_data_ebay_profile_len);
	if ((sc->profile = lp_profile_new(sc->spec, &err)) == NULL)
		lp_errx(LP_EXIT_DATAERR, "%s: %s",
		    sc->profile_path ? sc->profile_path : "built-in profile",
		    err.msg);
	if ((site = lp_profile_str(sc->profile, "site")) == NULL)
		site = "ebay-uk";
	snprintf(sc->ua, sizeof(sc->ua), "lp-scrape/%s (labelpipe%s%s)",
	    LP_VERSION, sc->contact ? "; +" : "",
	    sc->contact ? sc->contact : "");
	sc->fc.user_agent = sc->ua;
	version = lp_profile_str(sc->profile, "version");
	snprintf(cfgtext, sizeof(cfgtext), "profile=%s pages=%d query=%s",
	    version ? version : "?", sc->npages, sc->query ? sc->query : "");
	lp_run_open(&sc->run, 0, NULL, cfgtext);
	lp_crawl_init(&sc->crawl, sc->profile, site, sc->query, sc->npages,
	    &sc->run.lineage);
	sc->crawl.max_page = sc->fc.max_bytes; /* files, archives too */
	if (sc->fc.ignore_robots) {
		lp_warnx("--ignore-robots: robots.txt is not obeyed");
		lp_run_audit(&sc->run, "robots_ignored",
		    json_pack("{s:s}", "user_agent", sc->ua));
	}
	if (sc->warc_path != NULL)
		open_archive(sc);
	if ((sc->fetch = lp_fetch_new(&sc->fc, &err)) == NULL)
		lp_errx(LP_EXIT_UNAVAILABLE, "%s", err.msg);
}

/* Read the local starts, ask for the others; pages in, written in order. */
static void
crawl(struct scrape *sc, int fetch_starts)
{
	struct lp_error err = LP_ERROR_INIT;
	struct lp_crawl *c = &sc->crawl;
	struct lp_fetch_result *r;
	struct lp_crawl_page *pg;
	size_t i;
	int rc;

	/* Local files are read at once; a bad one ends the run. */
	for (i = 0;
	     i < c->nstarts && fetch_starts && !c->blocked && !lp_interrupted;
	     i++) {
		if ((rc = lp_crawl_begin(c, i, &pg, &err)) == LP_FATAL)
			lp_errx(LP_EXIT_IOERR, "%s", err.msg);
		if (rc == LP_FAILED)
			lp_errx(LP_EXIT_DATAERR, "%s", err.msg);
		if (rc == LP_OK)
			said(pg, rc, pg->url, &err);
		asks(sc);
	}
	/* Pages in, in any order; written in order. */
	while (!c->blocked && !lp_interrupted) {
		drain(sc);
		if ((r = lp_fetch_wait(sc->fetch)) == NULL)
			break;
		land(sc, r);
		asks(sc);
	}
	drain(sc);
}

/*
 * SIGINT or SIGTERM with pages left: the pages that came are archived
 * (for --resume), where the run stopped is said, the status is 130.
 */
static void
interrupted(struct scrape *sc)
{
	const char *w = sc->have_warc ? sc->warc_path : NULL;
	struct lp_buf where = LP_BUF_INIT;

	if (!lp_interrupted || sc->crawl.head >= sc->crawl.nstarts)
		return;
	if (w != NULL && !sc->warc_failed &&
	    lp_crawl_archive_rest(&sc->crawl, &sc->warc) != LP_OK)
		archive_failed(sc);
	lp_crawl_where(&sc->crawl, &where);
	lp_warnx("interrupted at %s%s%s%s", where.p,
	    w ? ": the pages fetched are in " : "", w ? w : "",
	    w ? "; --resume goes on from there" : "");
	lp_buf_release(&where);
	sc->run.status = LP_EXIT_INTR;
}

/* The counts, the archive closed, the exit status; everything freed. */
static int
finish(struct scrape *sc)
{
	const struct lp_crawl_counts *n = &sc->crawl.counts;
	long long req, retries, throttled;
	int status;

	interrupted(sc);
	lp_crawl_counts(n, lp_run_count_each, &sc->run);
	lp_fetch_counts(sc->fetch, &req, &retries, &throttled);
	lp_run_count(&sc->run, "http_requests", req);
	lp_run_count(&sc->run, "http_retries", retries);
	lp_run_count(&sc->run, "http_throttled", throttled);
	if (sc->have_warc && lp_warc_close(&sc->warc) != LP_OK &&
	    !sc->warc_failed) {
		lp_warnx("%s", sc->warc.err.msg);
		sc->warc_failed = 1;
	}
	if (sc->warc_failed)
		sc->run.status = LP_EXIT_IOERR;
	if (sc->crawl.blocked || (n->failed > 0 && n->failed == n->pages))
		status = lp_run_close(&sc->run, LP_EXIT_UNAVAILABLE);
	else
		status = lp_run_close(&sc->run,
		    n->failed + n->robots > 0 ? LP_EXIT_FAIL : LP_EXIT_OK);
	lp_crawl_release(&sc->crawl);
	lp_fetch_free(sc->fetch);
	lp_replay_close(&sc->from);
	lp_warc_record_release(&sc->rec);
	lp_buf_release(&sc->scratch);
	lp_profile_free(sc->profile);
	json_decref(sc->spec);
	return status;
}

int
main(int argc, char **argv)
{
	static struct scrape sc;

	sc.fc.agent = "labelpipe";
	sc.fc.delay = 1;
	sc.fc.per_host = 2;
	sc.fc.max_retries = 4;
	sc.fc.timeout_ms = 30000;
	sc.fc.max_bytes = 8u << 20;
	sc.fc.stop = &lp_interrupted;
	sc.fc.drop = lp_crawl_ask_drop;
	sc.npages = 1;
	sc.contact = getenv("LP_CONTACT");
	lp_cli_init(argc, argv, &tool);
	parse_options(&sc, argc, argv);
	argc -= optind;
	argv += optind;
	if (sc.check)
		return check_robots(argc, argv);
	if (sc.resume && sc.warc_path == NULL)
		lp_cli_usage("--resume goes with --warc FILE");
	if (sc.from_warc != NULL &&
	    (sc.warc_path != NULL || sc.query != NULL || argc > 0))
		lp_cli_usage("--from-warc reads pages from the archive alone "
			     "(no --warc, --query or urls)");
	open_all(&sc);
	if (sc.from_warc != NULL)
		replay(&sc, sc.from_warc);
	else
		add_starts(&sc, argc, argv);
	crawl(&sc, sc.from_warc == NULL);
	return finish(&sc);
}
