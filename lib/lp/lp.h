/*
 * liblp: the library under every labelpipe tool.
 *
 * Library functions never print and never exit.  They return one of the
 * status codes below and leave the reason where their module says
 * (usually an err[] buffer in the object they work on).  Only tools, through
 * the cli, log and run modules, talk to the user.
 */
#ifndef LP_LP_H
#define LP_LP_H

#ifndef LP_VERSION
#define LP_VERSION "0.1.0"
#endif

enum lp_status {
	LP_OK = 0,	/* done */
	LP_EOF = 1,	/* no more input */
	LP_FAILED = -1, /* this record is unusable; the error policy decides */
	LP_FATAL = -2	/* the stream is dead */
};

/*
 * "lp-clean 0.1.0 (liblp 0.1.0; jansson 2.14; zlib 1.2.13)": feeds both
 * --version and lineage.steps[].version's audit twin.
 */
const char *lp_version_details(const char *tool);

/* Seconds on the monotonic clock: for intervals, never for dates. */
double lp_clock(void);

#include "banned.h"

#endif
