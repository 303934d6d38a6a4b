#include <stdlib.h>
#include <unistd.h>

#include "core/secret.h"
#include "core/status.h"
#include "core/stream.h"
#include "tool/cli.h"
#include "tool/log.h"
#include "tool/olsink.h"
#include "test.h"

static void
clear_env(void)
{
	unsetenv("OPENLINEAGE_URL");
	unsetenv("OPENLINEAGE_ENDPOINT");
	unsetenv("OPENLINEAGE_API_KEY");
	unsetenv("OPENLINEAGE_NAMESPACE");
	unsetenv("OPENLINEAGE_DISABLED");
}

TEST(the_clients_variables)
{
	struct lp_writer w;
	struct lp_olsink s;
	char msg[128] = "key sk-ol-0123456789abcdef";

	clear_env();
	lp_olsink_init(&s, &w);
	assert_true(s.url == NULL && s.auth == NULL);
	assert_true(s.job_namespace == NULL);
	setenv("OPENLINEAGE_URL", "https://u:pw-0123456789@ol.example//", 1);
	setenv("OPENLINEAGE_API_KEY", "sk-ol-0123456789abcdef", 1);
	setenv("OPENLINEAGE_NAMESPACE", "team-a", 1);
	lp_olsink_init(&s, &w);
	assert_eq_str(
	    s.url, "https://u:pw-0123456789@ol.example/api/v1/lineage");
	assert_eq_str(s.auth, "Authorization: Bearer sk-ol-0123456789abcdef");
	assert_eq_str(s.job_namespace, "team-a");
	/* The key and the URL's password are secrets now. */
	lp_secret_scrub(msg, sizeof(msg));
	assert_eq_str(msg, "key ***");
	assert_eq_int(lp_olsink_finish(&s, "-"), LP_EXIT_OK);
	setenv("OPENLINEAGE_ENDPOINT", "/custom/path", 1);
	setenv("OPENLINEAGE_URL", "http://ol.example/base", 1);
	lp_olsink_init(&s, &w);
	assert_eq_str(s.url, "http://ol.example/base/custom/path");
	lp_olsink_finish(&s, "-");
	setenv("OPENLINEAGE_DISABLED", "true", 1);
	lp_olsink_init(&s, &w);
	assert_true(s.url == NULL);
	clear_env();
}

TEST(the_last_diagnostic_is_scrubbed)
{
	lp_secret_add_key("sk-ol-0123456789abcdef");
	lp_warnx("cannot use http://x/?k=%s\nmore", "sk-ol-0123456789abcdef");
	assert_eq_str(lp_log_last(), "cannot use http://x/?k=***");
	lp_warnx("later");
	assert_eq_str(lp_log_last(), "later");
}

RUN_TESTS()
