#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core/status.h"
#include "core/hash.h"
#include "core/lineage.h"

static const char *const set_names[3] = {
    "pipeline_version", "dataset_version", "task_id"};

static const char *
set_value(const struct lp_lineage *lg, int i)
{
	return i == 0 ? lg->pipeline_version
	    : i == 1  ? lg->dataset_version
		      : lg->task_id;
}

static const char *
pick(const char *arg, const char *env)
{
	const char *v;

	if (arg != NULL)
		return arg;
	if ((v = getenv(env)) != NULL && *v != '\0')
		return v;
	return NULL;
}

void
lp_lineage_init(struct lp_lineage *lg, const char *tool, const char *config,
    const char *pipeline_version, const char *dataset_version,
    const char *task_id)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct lp_buf seed = LP_BUF_INIT;
	char hex[65];
	int i;

	memset(lg, 0, sizeof(*lg));
	snprintf(lg->tool, sizeof(lg->tool), "%s", tool);
	lg->pipeline_version = pick(pipeline_version, "LP_PIPELINE_VERSION");
	lg->dataset_version = pick(dataset_version, "LP_DATASET_VERSION");
	lg->task_id = pick(task_id, "LP_TASK_ID");

	lp_sha256_hex(config, strlen(config), hex);
	memcpy(lg->config, hex, 8);

	/*
	 * A fixed epoch fixes the run id too: it is derived from what made
	 * the run (tool, options, time) instead of from chance.
	 */
	lp_buf_addf(&seed, "%s\n%s\n", tool, config);
	if (sde != NULL && *sde != '\0') {
		lg->fixed_time = 1;
		lg->epoch_ms = strtoll(sde, NULL, 10) * 1000;
		lp_buf_addf(&seed, "%lld", lg->epoch_ms);
	} else {
		unsigned char rnd[16] = {0};
		struct timespec ts;
		int fd;

		if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) >= 0) {
			if (read(fd, rnd, sizeof(rnd)) < 0)
				rnd[0] = 0;
			close(fd);
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		lp_buf_add(&seed, rnd, sizeof(rnd));
		lp_buf_addf(&seed, "%lld.%ld.%ld", (long long)ts.tv_sec,
		    ts.tv_nsec, (long)getpid());
	}
	lp_sha256_hex(seed.p, seed.len, hex);
	memcpy(lg->run_id, hex, 12);
	lp_buf_release(&seed);

	/* Pieces the fast path splices (tested against the slow path). */
	lp_buf_adds(&lg->step_head, "{\"tool\":");
	lp_json_dump_str(lg->tool, strlen(lg->tool), &lg->step_head);
	lp_buf_adds(
	    &lg->step_head, ",\"version\":\"" LP_VERSION "\",\"run_id\":");
	lp_json_dump_str(lg->run_id, strlen(lg->run_id), &lg->step_head);
	lp_buf_adds(&lg->step_head, ",\"at\":");
	lp_buf_adds(&lg->step_tail, ",\"config\":");
	lp_json_dump_str(lg->config, strlen(lg->config), &lg->step_tail);
	lp_buf_addc(&lg->step_tail, '}');
	lp_buf_adds(&lg->fresh_head, "\"lineage\":{");
	for (i = 0; i < 3; i++) {
		const char *v = set_value(lg, i);

		if (v == NULL)
			continue;
		lp_json_dump_str(v, strlen(v), &lg->sets[i]);
		lp_buf_addf(&lg->fresh_head, "\"%s\":", set_names[i]);
		lp_buf_add(&lg->fresh_head, lg->sets[i].p, lg->sets[i].len);
		lp_buf_addc(&lg->fresh_head, ',');
	}
	lp_buf_adds(&lg->fresh_head, "\"steps\":[");
}

void
lp_lineage_release(struct lp_lineage *lg)
{
	int i;

	lp_buf_release(&lg->step_head);
	lp_buf_release(&lg->step_tail);
	lp_buf_release(&lg->fresh_head);
	for (i = 0; i < 3; i++)
		lp_buf_release(&lg->sets[i]);
}

long long
lp_lineage_now(const struct lp_lineage *lg)
{
	struct timespec ts;

	if (lg->fixed_time)
		return lg->epoch_ms;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
stamp_object(const struct lp_lineage *lg, json_t *lin, long long at,
    struct lp_error *err)
{
	json_t *steps;
	int i;

	for (i = 0; i < 3; i++)
		if (set_value(lg, i) != NULL)
			json_object_set_new(
			    lin, set_names[i], json_string(set_value(lg, i)));
	if ((steps = json_object_get(lin, "steps")) == NULL) {
		steps = json_array();
		json_object_set_new(lin, "steps", steps);
	} else if (!json_is_array(steps)) {
		return lp_error_set(err, "'lineage.steps' is not an array");
	}
	json_array_append_new(steps,
	    json_pack("{s:s,s:s,s:s,s:I,s:s}", "tool", lg->tool, "version",
		LP_VERSION, "run_id", lg->run_id, "at", (json_int_t)at,
		"config", lg->config));
	return LP_OK;
}

int
lp_lineage_stamp_tree(const struct lp_lineage *lg, json_t *root, long long at,
    struct lp_error *err)
{
	json_t *lin = json_object_get(root, "lineage");

	if (lin == NULL) {
		lin = json_object();
		json_object_set_new(root, "lineage", lin);
	} else if (!json_is_object(lin)) {
		return lp_error_set(err, "'lineage' is not an object");
	}
	return stamp_object(lg, lin, at, err);
}

static void
add_step(const struct lp_lineage *lg, long long at, struct lp_buf *out)
{
	lp_buf_add(out, lg->step_head.p, lg->step_head.len);
	lp_buf_addf(out, "%lld", at);
	lp_buf_add(out, lg->step_tail.p, lg->step_tail.len);
}

/* Fast path for a canonical, unchanged record: edit the line. */
static int
stamp_line(const struct lp_lineage *lg, struct lp_record *r, long long at,
    struct lp_buf *out)
{
	const struct lp_json_member *m, *steps;
	const char *lin;
	json_t *tree;
	int i;

	m = lp_json_find(r->text, &r->ms, "lineage", 7);
	if (m == NULL) {
		lp_buf_add(out, r->text, r->len - 1);
		if (r->ms.n > 0)
			lp_buf_addc(out, ',');
		lp_buf_add(out, lg->fresh_head.p, lg->fresh_head.len);
		add_step(lg, at, out);
		lp_buf_add(out, "]}}\n", 4);
		return LP_OK;
	}
	lin = r->text + m->val;
	if (*lin != '{') {
		return lp_error_set(&r->err, "'lineage' is not an object");
	}
	/* The usual case: versions already as wanted, steps an array. */
	if (lp_json_scan_trusted(lin, m->vallen, &r->sub)) {
		for (i = 0; i < 3; i++) {
			const struct lp_json_member *s;

			if (set_value(lg, i) == NULL)
				continue;
			s = lp_json_find(
			    lin, &r->sub, set_names[i], strlen(set_names[i]));
			if (s == NULL || s->vallen != lg->sets[i].len ||
			    memcmp(lin + s->val, lg->sets[i].p, s->vallen) != 0)
				break;
		}
		steps = lp_json_find(lin, &r->sub, "steps", 5);
		if (i == 3 && steps != NULL && lin[steps->val] == '[') {
			size_t end = m->val + steps->val + steps->vallen - 1;

			lp_buf_add(out, r->text, end);
			if (steps->vallen > 2)
				lp_buf_addc(out, ',');
			add_step(lg, at, out);
			lp_buf_add(out, r->text + end, r->len - end);
			lp_buf_addc(out, '\n');
			return LP_OK;
		}
	}
	/* Otherwise rebuild just the lineage object. */
	if ((tree = lp_json_load(lin, m->vallen, 0, NULL)) == NULL)
		abort();
	if (stamp_object(lg, tree, at, &r->err) != LP_OK) {
		json_decref(tree);
		return LP_FAILED;
	}
	lp_buf_add(out, r->text, m->val);
	lp_json_dump(tree, out);
	lp_buf_add(out, lin + m->vallen, r->len - m->val - m->vallen);
	lp_buf_addc(out, '\n');
	json_decref(tree);
	return LP_OK;
}

int
lp_lineage_stamp(const struct lp_lineage *lg, struct lp_record *r, long long at,
    struct lp_buf *out)
{
	json_t *root;

	if (r->canonical && !r->modified) {
		lp_record_flatten(r);
		return stamp_line(lg, r, at, out);
	}
	root = r->root;
	if (lp_lineage_stamp_tree(lg, root, at, &r->err) != LP_OK)
		return LP_FAILED;
	lp_json_dump(root, out);
	lp_buf_addc(out, '\n');
	return LP_OK;
}
