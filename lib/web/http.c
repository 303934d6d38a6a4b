#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "core/status.h"
#include "core/version.h"
#include "web/http.h"

static void
init_once(void)
{
	static int done;

	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		done = 1;
	}
}

const char *
lp_http_user_agent(const char *product)
{
	static char ua[160], made_for[64];

	if (ua[0] == '\0' || strcmp(made_for, product) != 0) {
		init_once();
		snprintf(made_for, sizeof(made_for), "%s", product);
		snprintf(ua, sizeof(ua), "%s/%s (labelpipe; libcurl/%s)",
		    product, LP_VERSION,
		    curl_version_info(CURLVERSION_NOW)->version);
	}
	return ua;
}

/* The reply body is not wanted: a webhook's answer is its status. */
static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* libcurl's progress callback: non-zero gives the transfer up. */
static int
stopped(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	const volatile sig_atomic_t *stop = arg;

	(void)dt, (void)dn, (void)ut, (void)un;
	return stop != NULL && *stop;
}

long
lp_http_post_json(const char *url, const char *body, const char *const *headers,
    long timeout_ms, const char *user_agent, const volatile sig_atomic_t *stop,
    struct lp_error *err)
{
	char cerr[CURL_ERROR_SIZE] = "";
	struct curl_slist *h = NULL;
	long status = -1;
	CURLcode rc;
	CURL *c;

	init_once();
	if ((c = curl_easy_init()) == NULL) {
		lp_error_set(err, "%s: cannot start libcurl", url);
		return -1;
	}
	h = curl_slist_append(h, "Content-Type: application/json");
	/* Small bodies: no 100-continue round trip. */
	h = curl_slist_append(h, "Expect:");
	while (headers != NULL && *headers != NULL)
		h = curl_slist_append(h, *headers++);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (stop != NULL) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, stopped);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)stop);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}
	if ((rc = curl_easy_perform(c)) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	else if (rc == CURLE_ABORTED_BY_CALLBACK)
		lp_error_set(err, "%s: interrupted", url);
	else
		lp_error_set(err, "%s: %s", url,
		    cerr[0] ? cerr : curl_easy_strerror(rc));
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return status;
}
