/*
 * For the LLM tests comparing what a call made as a whole: the canonical
 * JSON text of a value (lp_json_dump), which the test no longer needs.
 */
#ifndef LP_TEST_LLM_DUMP_H
#define LP_TEST_LLM_DUMP_H

#include <jansson.h>

#include "core/buf.h"
#include "core/json.h"

/* The canonical text of v (stolen), valid until the next call. */
static const char *
dump(json_t *v)
{
	static struct lp_buf b;

	lp_buf_reset(&b);
	lp_json_dump(v, &b);
	json_decref(v);
	return b.p;
}

#endif
