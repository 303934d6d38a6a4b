/*
 * The LLM reply cache: entries written by its thread, off the caller's
 * loop, yet found by a lookup asked at once after the put; written whole
 * before the cache is freed; a folder that went meanwhile made again.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/status.h"
#include "llm/cache.h"
#include "test.h"

static const char *D1 =
    "ab00000000000000000000000000000000000000000000000000000000000001";
static const char *D2 =
    "cd00000000000000000000000000000000000000000000000000000000000002";

static void
nothing(void *arg)
{
	(void)arg;
}

static char dir[64];

static struct lp_llm_cache *
cache(void)
{
	snprintf(dir, sizeof(dir), "%s/lp-cache.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_true(mkdtemp(dir) != NULL);
	return lp_llm_cache_new(dir, nothing, NULL);
}

/* Ask for digest and wait for the answer: the hit, or NULL. */
static json_t *
ask(struct lp_llm_cache *c, const char *digest, double *lat)
{
	struct lp_llm_cache_ask a, *got;
	json_t *hit;

	memset(&a, 0, sizeof(a));
	a.digest = digest;
	assert_eq_int(lp_llm_cache_ask(c, &a), 0);
	while ((got = lp_llm_cache_answers(c)) == NULL)
		usleep(1000);
	assert_true(got == &a && a.next == NULL);
	hit = a.hit;
	*lat = a.latency;
	return hit;
}

TEST(put_then_ask_finds_it)
{
	struct lp_llm_cache *c = cache();
	json_t *reply = json_pack("{s:s}", "id", "r1"), *hit;
	double lat = 0;
	char path[256];

	/* The reader runs once asked; the put then goes to it. */
	assert_true(ask(c, D2, &lat) == NULL);
	assert_eq_int(lp_llm_cache_put(c, D1, reply, 12.5), LP_OK);
	hit = ask(c, D1, &lat);
	assert_true(hit != NULL);
	assert_eq_str(json_string_value(json_object_get(hit, "id")), "r1");
	assert_true(lat == 12.5);
	json_decref(hit);
	lp_llm_cache_sync(c);
	snprintf(path, sizeof(path), "%s/ab/%s.json", dir, D1);
	assert_eq_int(access(path, R_OK), 0);
	assert_eq_int((int)lp_llm_cache_failures(c), 0);
	assert_true(lp_llm_cache_free(c) == NULL);
	json_decref(reply);
}

TEST(free_writes_what_is_queued)
{
	struct lp_llm_cache *c = cache();
	json_t *reply = json_pack("{s:s}", "id", "r2"), *hit;
	double lat;
	char path[256];

	assert_true(ask(c, D2, &lat) == NULL);
	assert_eq_int(lp_llm_cache_put(c, D1, reply, 1), LP_OK);
	assert_true(lp_llm_cache_free(c) == NULL);
	snprintf(path, sizeof(path), "%s/ab/%s.json", dir, D1);
	assert_eq_int(access(path, R_OK), 0);
	/* A new cache (no reader yet) reads it at once. */
	c = lp_llm_cache_new(dir, nothing, NULL);
	hit = lp_llm_cache_get(c, D1, &lat);
	assert_true(hit != NULL);
	json_decref(hit);
	lp_llm_cache_free(c);
	json_decref(reply);
}

TEST(folder_made_again)
{
	struct lp_llm_cache *c = cache();
	json_t *reply = json_pack("{s:s}", "id", "r3");
	double lat;
	char path[256];

	assert_true(ask(c, D2, &lat) == NULL);
	lp_llm_cache_put(c, D1, reply, 1);
	lp_llm_cache_sync(c);
	snprintf(path, sizeof(path), "%s/ab/%s.json", dir, D1);
	assert_eq_int(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/ab", dir);
	assert_eq_int(rmdir(path), 0);
	lp_llm_cache_put(c, D1, reply, 1);
	lp_llm_cache_sync(c);
	assert_eq_int((int)lp_llm_cache_failures(c), 0);
	assert_true(lp_llm_cache_failure(c) == NULL);
	snprintf(path, sizeof(path), "%s/ab/%s.json", dir, D1);
	assert_eq_int(access(path, R_OK), 0);
	lp_llm_cache_free(c);
	json_decref(reply);
}

RUN_TESTS()
