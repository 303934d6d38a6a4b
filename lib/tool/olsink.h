/*
 * Where lp-audit openlineage's events go (metrics/openlineage.h makes
 * them): every event to the output file and, when OPENLINEAGE_URL is set,
 * each POSTed to a lineage server as the OpenLineage clients' HTTP
 * transport does.  The variables are the clients' own:
 *
 *   OPENLINEAGE_URL        the server; events go to URL/ENDPOINT
 *   OPENLINEAGE_ENDPOINT   the path under it (default api/v1/lineage)
 *   OPENLINEAGE_API_KEY    sent as "Authorization: Bearer KEY"
 *   OPENLINEAGE_NAMESPACE  the jobs' namespace (default labelpipe)
 *   OPENLINEAGE_DISABLED   "true": send nothing
 *
 * An event is tried up to LP_OLSINK_TRIES times, with backoff, when the
 * server does not answer or answers 500, 502, 503 or 504
 * (web/webhook.h).  Once one cannot be delivered, the events after it
 * are not tried: they are unsent, and nothing is lost, since the output
 * file holds every event.  An export is made from the log alone, with
 * the same run UUIDs each time: running it again sends them again.
 * The key is a secret (core/secret.h): registered when read, it is in no
 * diagnostic, and never on a command line.
 */
#ifndef LP_TOOL_OLSINK_H
#define LP_TOOL_OLSINK_H

#include <stddef.h>

#include "core/error.h"
#include "core/stream.h"

/* How many times an event is tried. */
#define LP_OLSINK_TRIES 5

struct lp_olsink {
	struct lp_writer *w;
	const char *job_namespace; /* OPENLINEAGE_NAMESPACE, or NULL */
	char *url;		   /* where events are POSTed; NULL: nowhere */
	char *auth;		   /* the Authorization header line, or NULL */
	long events, sent;
	struct lp_error why; /* why the first unsent event was not sent */
};

/*
 * Set s up for the writer w (borrowed) from the environment.  A URL that
 * is not http:// or https:// is a usage error.
 */
void lp_olsink_init(struct lp_olsink *s, struct lp_writer *w);
/*
 * The sink of struct lp_openlineage_export (arg: the struct lp_olsink):
 * write line to the file, then send it unless an earlier one failed.
 * LP_FATAL only when the file cannot be written.
 */
int lp_olsink_event(
    void *arg, const char *line, size_t len, struct lp_error *err);
/*
 * After the export to the file named out ("-": standard output): say
 * what was sent (with -v) or, when events are unsent, how many and why,
 * and return LP_EXIT_UNAVAILABLE; LP_EXIT_OK otherwise.  Frees what s
 * holds.
 */
int lp_olsink_finish(struct lp_olsink *s, const char *out);

#endif
