#include <stdio.h>

#include <curl/curl.h>
#include <jansson.h>
#include <libdeflate.h>
#include <utf8proc.h>
#include <zlib.h>

#include "core/status.h"
#include "core/version.h"

/*
 * Gumbo and libdeflate have no version call: the versions built against.
 */
#ifndef LP_GUMBO_VERSION
#define LP_GUMBO_VERSION "unknown"
#endif

const char *
lp_version_details(const char *tool)
{
	static char buf[160];

	snprintf(buf, sizeof(buf), "%s %s (liblp %s; jansson %s; zlib %s)",
	    tool, LP_VERSION, LP_VERSION, JANSSON_VERSION, zlibVersion());
	return buf;
}

/*
 * A weak reference: --version must not make a tool that never fetches
 * load libcurl and its TLS stack (6 MB of every filter's memory).  Where
 * a tool links libcurl anyway the running version and TLS library are
 * named; elsewhere the version built against.
 */
#pragma weak curl_version_info

const char *
lp_version_libraries(void)
{
	static char buf[512];
	const curl_version_info_data *c = NULL;

	if (curl_version_info != NULL)
		c = curl_version_info(CURLVERSION_NOW);
	snprintf(buf, sizeof(buf),
	    "Libraries: liblp/%s jansson/%s zlib/%s libdeflate/%s "
	    "libcurl/%s%s%s "
	    "gumbo/%s utf8proc/%s",
	    LP_VERSION, jansson_version_str(), zlibVersion(),
	    LIBDEFLATE_VERSION_STRING, c != NULL ? c->version : LIBCURL_VERSION,
	    c != NULL && c->ssl_version != NULL ? " " : "",
	    c != NULL && c->ssl_version != NULL ? c->ssl_version : "",
	    LP_GUMBO_VERSION, utf8proc_version());
	return buf;
}
