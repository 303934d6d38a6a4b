/*
 * HTTP through libcurl: what the tools share.  TLS verification is always
 * on; a User-Agent names the tool and its version.
 */
#ifndef LP_HTTP_H
#define LP_HTTP_H

#include <stddef.h>

/*
 * POST a JSON body to url and wait at most timeout_ms.  Returns the HTTP
 * status (2xx is success), or -1 with err set when no reply came.
 */
long lp_http_post_json(const char *url, const char *body, long timeout_ms,
    char *err, size_t errlen);
/* "lp-kpi/0.1.0 (labelpipe; libcurl/7.88.1)": the User-Agent. */
const char *lp_http_user_agent(void);

#endif
