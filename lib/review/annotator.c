#include <string.h>

#include "core/status.h"
#include "core/error.h"
#include "review/annotator.h"

static const char id_chars[] = "abcdefghijklmnopqrstuvwxyz"
			       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			       "0123456789._@+-";

int
lp_annotator_check(const char *id, struct lp_error *err)
{
	size_t n = strlen(id);

	if (n == 0 || n > LP_ANNOTATOR_MAX || strspn(id, id_chars) != n ||
	    id[0] == '.' || id[0] == '-')
		return lp_error_set(err,
		    "invalid annotator '%s' (1 to %d of A-Z a-z 0-9 . _ @ + -, "
		    "not starting with '.' or '-')",
		    id, LP_ANNOTATOR_MAX);
	return LP_OK;
}
