#include <stdio.h>

#include <jansson.h>
#include <zlib.h>

#include "core/status.h"
#include "core/version.h"

const char *
lp_version_details(const char *tool)
{
	static char buf[160];

	snprintf(buf, sizeof(buf), "%s %s (liblp %s; jansson %s; zlib %s)",
	    tool, LP_VERSION, LP_VERSION, JANSSON_VERSION, zlibVersion());
	return buf;
}
