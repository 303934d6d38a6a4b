#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "metrics/feedback.h"
#include "test.h"

#include "feedback_input.h"

/*
 * The figure at path (dots; "[n]" takes an array's element) of
 * annotator who, to four decimals; "null" or "absent" otherwise.
 */
static const char *
fig(json_t *fb, const char *who, const char *path)
{
	static char out[64];
	json_t *v = json_object_get(fb, who);
	char part[64];
	const char *p = path;

	while (v != NULL && *p != '\0') {
		size_t n = strcspn(p, ".");

		snprintf(part, sizeof(part), "%.*s", (int)n, p);
		p += n + (p[n] == '.');
		if (part[0] == '[')
			v = json_array_get(v, strtoul(part + 1, NULL, 10));
		else
			v = json_object_get(v, part);
	}
	if (v == NULL)
		return "absent";
	if (json_is_number(v))
		snprintf(out, sizeof(out), "%.4f", json_number_value(v));
	else if (json_is_string(v))
		snprintf(out, sizeof(out), "%s", json_string_value(v));
	else
		snprintf(
		    out, sizeof(out), "%s", json_is_null(v) ? "null" : "?");
	return out;
}

/* Gold: alice 1 of 2 (misses item 2: 1 for 2), bob 0 of 2, carol 2. */
TEST(gold)
{
	struct input in;
	json_t *fb;

	input_read(&in);
	fb = lp_feedback_build(in.items, in.m, in.days, &in.tax);
	assert_eq_str(fig(fb, "alice", "gold.items"), "2.0000");
	assert_eq_str(fig(fb, "alice", "gold.accuracy"), "0.5000");
	assert_eq_str(fig(fb, "bob", "gold.accuracy"), "0.0000");
	assert_eq_str(fig(fb, "carol", "gold.accuracy"), "1.0000");
	assert_eq_str(fig(fb, "alice", "gold.cohort"), "0.5000");
	assert_eq_int(json_array_size(lp_kpi_get(
			  json_object_get(fb, "alice"), "gold.misses")),
	    1);
	assert_eq_str(
	    fig(fb, "alice", "gold.misses.[0].id"), "ebay-uk:100000000002");
	assert_eq_str(fig(fb, "alice", "gold.misses.[0].yours"), "1.0000");
	assert_eq_str(fig(fb, "alice", "gold.misses.[0].expected"), "2.0000");
	assert_eq_str(
	    fig(fb, "alice", "gold.misses.[0].section"), "guide-1, The scale");
	assert_eq_int(json_array_size(lp_kpi_get(
			  json_object_get(fb, "bob"), "gold.misses")),
	    2);
	assert_eq_int(json_array_size(lp_kpi_get(
			  json_object_get(fb, "carol"), "gold.misses")),
	    0);
	json_decref(fb);
	input_release(&in);
}

/*
 * Peers: alice-bob agree on 4 of 6 (kappa (4/6 - 9/36) / (1 - 9/36)),
 * alice-carol 4 of 5 (kappa (0.8 - 7/25) / (1 - 7/25)), bob-carol 2 of
 * 5 (kappa (0.4 - 6/25) / (1 - 6/25)); the medians 4/6 and 0.5556.
 */
TEST(peers)
{
	struct input in;
	json_t *fb;

	input_read(&in);
	fb = lp_feedback_build(in.items, in.m, in.days, &in.tax);
	assert_eq_str(fig(fb, "alice", "peers.[0].peer"), "bob");
	assert_eq_str(fig(fb, "alice", "peers.[0].items"), "6.0000");
	assert_eq_str(fig(fb, "alice", "peers.[0].percent"), "0.6667");
	assert_eq_str(fig(fb, "alice", "peers.[0].kappa"), "0.5556");
	assert_eq_str(fig(fb, "alice", "peers.[1].peer"), "carol");
	assert_eq_str(fig(fb, "alice", "peers.[1].percent"), "0.8000");
	assert_eq_str(fig(fb, "alice", "peers.[1].kappa"), "0.7222");
	assert_eq_str(fig(fb, "carol", "peers.[0].peer"), "alice");
	assert_eq_str(fig(fb, "carol", "peers.[1].peer"), "bob");
	assert_eq_str(fig(fb, "carol", "peers.[1].kappa"), "0.2105");
	assert_eq_str(fig(fb, "bob", "peers_cohort.percent"), "0.6667");
	assert_eq_str(fig(fb, "bob", "peers_cohort.kappa"), "0.5556");
	json_decref(fb);
	input_release(&in);
}

/*
 * The final labels of items 3-6: alice agrees on 3 of 4 (kappa (0.75 -
 * 4/16) / (1 - 4/16)), overridden on item 4 by judy; bob on all 4, carol
 * on 2 of 3; the median 75%.
 */
TEST(adjudicated)
{
	struct input in;
	json_t *fb;

	input_read(&in);
	fb = lp_feedback_build(in.items, in.m, in.days, &in.tax);
	assert_eq_str(fig(fb, "alice", "adjudicated.items"), "4.0000");
	assert_eq_str(fig(fb, "alice", "adjudicated.percent"), "0.7500");
	assert_eq_str(fig(fb, "alice", "adjudicated.kappa"), "0.6667");
	assert_eq_str(fig(fb, "alice", "adjudicated.overridden.[0].id"),
	    "ebay-uk:100000000004");
	assert_eq_str(
	    fig(fb, "alice", "adjudicated.overridden.[0].by"), "judy");
	assert_eq_str(fig(fb, "bob", "adjudicated.percent"), "1.0000");
	assert_eq_str(fig(fb, "bob", "adjudicated.kappa"), "1.0000");
	assert_eq_str(fig(fb, "carol", "adjudicated.percent"), "0.6667");
	assert_eq_str(fig(fb, "carol", "adjudicated.cohort"), "0.7500");
	json_decref(fb);
	input_release(&in);
}

/*
 * Per class (gold, else final): 1 (item 5), 2 (items 2, 4, 6), 4 (items
 * 1, 3), in the taxonomy's order.  alice 1/1, 1/3, 2/2; bob 1/1, 2/3,
 * 1/2; carol 1/1, 1/2, 2/2; medians 100%, 50%, 100%.
 */
TEST(classes)
{
	struct input in;
	json_t *fb;

	input_read(&in);
	fb = lp_feedback_build(in.items, in.m, in.days, &in.tax);
	assert_eq_str(fig(fb, "alice", "classes.[0].class"), "1.0000");
	assert_eq_str(fig(fb, "alice", "classes.[1].class"), "2.0000");
	assert_eq_str(fig(fb, "alice", "classes.[1].items"), "3.0000");
	assert_eq_str(fig(fb, "alice", "classes.[1].accuracy"), "0.3333");
	assert_eq_str(fig(fb, "alice", "classes.[1].cohort"), "0.5000");
	assert_eq_str(fig(fb, "alice", "classes.[2].class"), "4.0000");
	assert_eq_str(fig(fb, "bob", "classes.[2].accuracy"), "0.5000");
	assert_eq_str(fig(fb, "bob", "classes.[2].cohort"), "1.0000");
	assert_eq_str(fig(fb, "carol", "classes.[1].items"), "2.0000");
	assert_eq_str(fig(fb, "alice", "classes.[3].class"), "absent");
	json_decref(fb);
	input_release(&in);
}

/*
 * Pace: alice 6 labels in 45 s (480 an hour: 360 on day 1, 720 on day
 * 2), bob 6 in 120 s (180), carol 5 in 60 s (300); the median 300.
 */
TEST(pace)
{
	struct input in;
	json_t *fb;

	input_read(&in);
	fb = lp_feedback_build(in.items, in.m, in.days, &in.tax);
	assert_eq_str(fig(fb, "alice", "labels"), "6.0000");
	assert_eq_str(fig(fb, "alice", "pace.per_hour"), "480.0000");
	assert_eq_str(fig(fb, "bob", "pace.per_hour"), "180.0000");
	assert_eq_str(fig(fb, "carol", "pace.per_hour"), "300.0000");
	assert_eq_str(fig(fb, "alice", "pace.cohort"), "300.0000");
	assert_eq_str(fig(fb, "alice", "pace.trend.[0].period"), "2026-12-01");
	assert_eq_str(fig(fb, "alice", "pace.trend.[0].per_hour"), "360.0000");
	assert_eq_str(fig(fb, "alice", "pace.trend.[1].per_hour"), "720.0000");
	assert_eq_str(fig(fb, "alice", "pace.trend.[1].cohort"), "300.0000");
	json_decref(fb);
	/* Without periods or a taxonomy: no trend. */
	fb = lp_feedback_build(in.items, in.m, NULL, NULL);
	assert_eq_str(fig(fb, "alice", "pace.per_hour"), "480.0000");
	assert_eq_int(json_array_size(lp_kpi_get(
			  json_object_get(fb, "alice"), "pace.trend")),
	    0);
	json_decref(fb);
	input_release(&in);
}

/* The report as alice reads it: names, percentages, the misses. */
TEST(markdown)
{
	struct input in;
	struct lp_buf b = LP_BUF_INIT;
	json_t *fb;

	input_read(&in);
	fb = lp_feedback_build(in.items, in.m, in.days, &in.tax);
	lp_feedback_markdown(&b, fb, "alice", &in.tax);
	assert_true(strstr(b.p, "# Your labelling feedback, alice\n") != NULL);
	assert_true(strstr(b.p,
			"You gave the known answer on 1 of the 2 "
			"gold items you labelled: 50.0% (the "
			"team's median: 50.0%).") != NULL);
	assert_true(strstr(b.p,
			"| ebay-uk:100000000002 | Samsung Galaxy "
			"S21 128GB | wrong (1) | major errors (2) | "
			"guide-1, The scale |\n") != NULL);
	assert_true(strstr(b.p,
			"major errors (2): Understandable but with "
			"a major error") != NULL);
	assert_true(strstr(b.p, "| bob | 6 | 66.7% | 0.56 |\n") != NULL);
	assert_true(strstr(b.p,
			"| major errors (2) | 3 | 1 | 33.3% | "
			"50.0% |\n") != NULL);
	assert_true(
	    strstr(b.p, "You gave 6 labels at 480 labels an hour") != NULL);
	assert_true(strstr(b.p, "| 2026-12-02 | 720 | 300 |\n") != NULL);
	assert_true(strstr(b.p, "0.9149") == NULL);
	json_decref(fb);
	lp_buf_release(&b);
	input_release(&in);
}

/* The page: escaped, no script, no outside URL, a viewport. */
TEST(html)
{
	struct input in;
	struct lp_buf b = LP_BUF_INIT;
	json_t *fb;

	input_read(&in);
	fb = lp_feedback_build(in.items, in.m, in.days, &in.tax);
	lp_feedback_html(&b, fb, "bob", &in.tax);
	assert_true(strncmp(b.p, "<!DOCTYPE html>", 15) == 0);
	assert_true(strstr(b.p, "name=viewport") != NULL);
	assert_true(strstr(b.p, "<script") == NULL);
	assert_true(strstr(b.p, "http") == NULL);
	assert_true(strstr(b.p,
			"<td data-h=\"item\">ebay-uk:100000000001"
			"</td>") != NULL);
	assert_true(strstr(b.p, "Cohen&#39;s") != NULL ||
	    strstr(b.p, "Cohen's kappa") != NULL);
	json_decref(fb);
	lp_buf_release(&b);
	input_release(&in);
}

#if defined(__SANITIZE_ADDRESS__)
#define ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN 1
#endif
#endif

/*
 * Memory grows with what each annotator labelled, not annotators times
 * items: 1000 annotators of 20000 items, each item labelled (and
 * adjudicated) once, built within 64 MB more address space than the input
 * takes (annotators times items would be 160 MB).  In a child, as the
 * limit is for good; not under AddressSanitizer, which reserves terabytes.
 */
TEST(memory_by_labels)
{
#ifndef ASAN
	struct lp_items *s = lp_items_new(NULL);
	json_t *m = json_pack("{s:{}}", "throughput"), *fb;
	struct lp_buf line = LP_BUF_INIT;
	struct lp_record rec;
	struct rlimit rl;
	char who[16];
	FILE *f;
	int i, status;
	pid_t pid;

	for (i = 0; i < 20000; i++) {
		lp_buf_reset(&line);
		lp_buf_addf(&line,
		    "{\"id\":\"i%d\",\"labels\":[{\"annotator_id\":\"a%d\","
		    "\"label\":%d}],\"adjudication\":{\"label\":1}}",
		    i, i % 1000, i % 3);
		lp_record_init(&rec);
		assert_eq_int(lp_record_parse(&rec, line.p, line.len), LP_OK);
		lp_items_add(s, &rec);
		lp_record_release(&rec);
	}
	for (i = 0; i < 1000; i++) {
		snprintf(who, sizeof(who), "a%d", i);
		json_object_set_new(
		    json_object_get(m, "throughput"), who, json_object());
	}
	fflush(NULL);
	if ((pid = fork()) == 0) {
		char buf[256];
		long kb = -1;

		/* VmSize now, in kB, and 64 MB more for the build. */
		if ((f = fopen("/proc/self/status", "r")) == NULL)
			_exit(3);
		while (fgets(buf, sizeof(buf), f) != NULL)
			if (sscanf(buf, "VmSize: %ld", &kb) == 1)
				break;
		fclose(f);
		rl.rlim_cur = rl.rlim_max = (rlim_t)(kb + 64 * 1024) * 1024;
		if (kb < 0 || setrlimit(RLIMIT_AS, &rl) != 0)
			_exit(3);
		fb = lp_feedback_build(s, m, NULL, NULL);
		_exit(json_object_size(fb) == 1000 ? 0 : 1);
	}
	assert_true(pid > 0);
	assert_eq_int((int)waitpid(pid, &status, 0), (int)pid);
	/* A signal (the allocation's abort) or a wrong answer fails. */
	assert_true(WIFEXITED(status));
	assert_eq_int(WEXITSTATUS(status), 0);
	lp_buf_release(&line);
	json_decref(m);
	lp_items_free(s);
#endif
}

RUN_TESTS()
