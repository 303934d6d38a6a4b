/*
 * The option helpers of tool/cli: a JSON document named by an option or
 * the built-in one it stands in for.
 */
#include <stdio.h>
#include <unistd.h>

#include "tool/cli.h"
#include "test.h"

static const unsigned char builtin[] = "{\"built\":\"in\"}";

/* No path: the built-in document. */
TEST(json_data_builtin)
{
	json_t *v = lp_cli_json_data(NULL, builtin, sizeof(builtin) - 1);

	assert_true(v != NULL);
	assert_eq_str(json_string_value(json_object_get(v, "built")), "in");
	json_decref(v);
}

/* A path: that file, not the built-in one. */
TEST(json_data_file)
{
	char path[] = "/tmp/lp-test-cli-XXXXXX";
	int fd = mkstemp(path);
	json_t *v;

	assert_true(fd >= 0);
	assert_true(write(fd, "{\"a\":1}", 7) == 7);
	close(fd);
	v = lp_cli_json_data(path, builtin, sizeof(builtin) - 1);
	assert_true(v != NULL);
	assert_eq_int((int)json_integer_value(json_object_get(v, "a")), 1);
	assert_true(json_object_get(v, "built") == NULL);
	json_decref(v);
	unlink(path);
}

RUN_TESTS()
