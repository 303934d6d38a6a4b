/*
 * robots.txt (RFC 9309): the rules of one site for one crawler.
 *
 * Parsing keeps only the groups that apply to the crawler's product token
 * (matched case-insensitively; all such groups merged), or else the "*"
 * groups.  A path (with its query) is allowed unless the longest matching
 * rule is a Disallow; on a tie Allow wins.  Patterns match from the start
 * of the path, "*" matches any run of characters and a final "$" anchors
 * the end.  Percent-encoding is normalised on both sides before matching.
 * /robots.txt itself is always allowed.  Input past 500 KiB is ignored,
 * as the RFC allows.  Lines that are not "field: value" are skipped and
 * remembered with their line numbers.
 *
 * The fetcher decides what an unavailable file means (RFC 9309 2.3.1):
 * 4xx, everything allowed (lp_robots_new(1)); 5xx or unreachable, nothing
 * allowed (lp_robots_new(0)).
 */
#ifndef LP_ROBOTS_H
#define LP_ROBOTS_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

#define LP_ROBOTS_MAX_BYTES (500 * 1024)

struct lp_robots;

/* Rules for agent (a product token such as "labelpipe") from text. */
struct lp_robots *lp_robots_parse(
    const char *text, size_t len, const char *agent);
/*
 * Rules for agent from the file at path; NULL with err when it cannot be
 * read ("cannot open 'robots.txt': No such file or directory").
 */
struct lp_robots *lp_robots_load(
    const char *path, const char *agent, struct lp_error *err);
/* No rules: everything allowed (1) or nothing (0). */
struct lp_robots *lp_robots_new(int allow_all);
/* 1 if path ("/sch/i.html?_nkw=x", starting with "/") may be fetched. */
int lp_robots_allowed(const struct lp_robots *r, const char *path);
/*
 * What of url robots.txt rules: its path and query ("https://h/a?b"
 * gives "/a?b", "https://h" gives "/"); a path is taken as it is.
 */
const char *lp_robots_path(const char *url);
/* The group's Crawl-delay in seconds, or -1 when it gives none. */
double lp_robots_crawl_delay(const struct lp_robots *r);
/*
 * Append a line "allowed\tURL" or "disallowed\tURL" for each of urls[0..n),
 * then "crawl-delay\tSECONDS" if the rules set one: lp-scrape
 * --check-robots's report.
 */
void lp_robots_verdicts(
    const struct lp_robots *r, char **urls, int n, struct lp_buf *out);
/* Skipped lines: their count, and the i-th's line number and why. */
size_t lp_robots_nwarnings(const struct lp_robots *r);
const char *lp_robots_warning(
    const struct lp_robots *r, size_t i, unsigned long *line);
void lp_robots_free(struct lp_robots *r);

#endif
