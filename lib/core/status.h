/*
 * liblp's status codes: what every library function that can fail returns.
 *
 * Library functions never print and never exit.  They return one of the
 * codes below and leave the reason in a struct lp_error (core/error.h).
 * Only the tool layer (lib/tool: cli, log, run, the terminal, the LLM
 * option glue) talks to the user.
 */
#ifndef LP_CORE_STATUS_H
#define LP_CORE_STATUS_H

enum lp_status {
	LP_OK = 0,	/* done */
	LP_EOF = 1,	/* no more input */
	LP_FAILED = -1, /* this record is unusable; the error policy decides */
	LP_FATAL = -2	/* the stream is dead */
};

/* labelpipe's own code only: see core/banned.h; never its users'. */
#ifdef LP_BUILDING
#include "core/banned.h"
#endif

#endif
