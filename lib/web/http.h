/*
 * One HTTP request at a time through libcurl, and the User-Agent the tools
 * send.  TLS verification is always on.  The concurrent transfers (pages,
 * LLM calls) go through the transfer engine instead (web/transfer.h).
 */
#ifndef LP_HTTP_H
#define LP_HTTP_H

#include <signal.h>
#include <stddef.h>

#include "core/error.h"

/*
 * POST a JSON body to url as user_agent, with more header lines
 * ("Authorization: Bearer ..."), a NULL-terminated list (NULL: none), and
 * wait at most timeout_ms, or a tenth of a second more once *stop is set
 * (stop may be NULL; the tools pass their interrupt flag).  Returns the
 * HTTP status (2xx is success), or -1 with err set ("URL: what went
 * wrong") when no reply came.  Header values are never in err.
 */
long lp_http_post_json(const char *url, const char *body,
    const char *const *headers, long timeout_ms, const char *user_agent,
    const volatile sig_atomic_t *stop, struct lp_error *err);
/*
 * The User-Agent of a tool: "lp-kpi/0.3.0 (labelpipe; libcurl/7.88.1)"
 * for product "lp-kpi".  In a buffer of this module that the next call
 * with another product overwrites (a process is one tool).
 */
const char *lp_http_user_agent(const char *product);

#endif
