/*
 * libFuzzer target for the JSON Lines record parser and the canonical
 * scanner.  Invariants: parsing never crashes; a line the scanner accepts
 * is valid JSON that dumps back to the same bytes; the fast and slow
 * lineage paths agree; lp_json_load gives what json_loadb gives, for every
 * flag it takes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/json.h"
#include "core/lineage.h"
#include "core/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same_load(const char *p, size_t size, size_t flags)
{
	json_t *a = lp_json_load(p, size, flags, NULL);
	json_t *b = json_loadb(p, size, flags, NULL);
	struct lp_buf x = LP_BUF_INIT, y = LP_BUF_INIT;

	if ((a == NULL) != (b == NULL))
		abort();
	if (a != NULL) {
		lp_json_dump(a, &x);
		lp_json_dump(b, &y);
		if (!json_equal(a, b) || x.len != y.len ||
		    memcmp(x.p, y.p, x.len) != 0)
			abort();
	}
	json_decref(a);
	json_decref(b);
	lp_buf_release(&x);
	lp_buf_release(&y);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lp_lineage lg;
	static int init;
	struct lp_record a, b;
	struct lp_buf x = LP_BUF_INIT, y = LP_BUF_INIT;
	const char *p = (const char *)data;

	if (!init) {
		setenv("SOURCE_DATE_EPOCH", "1", 1);
		lp_lineage_init(&lg, "fuzz", "", "p", NULL, "t");
		init = 1;
	}
	same_load(p, size, 0);
	same_load(p, size, JSON_DECODE_ANY);
	same_load(p, size, JSON_REJECT_DUPLICATES);
	lp_record_init(&a);
	lp_record_init(&b);
	if (lp_record_parse(&a, p, size) == LP_OK) {
		if (a.canonical) {
			json_t *v =
			    json_loadb(p, size, JSON_REJECT_DUPLICATES, NULL);

			if (v == NULL)
				abort();
			lp_json_dump(v, &x);
			if (x.len != size || memcmp(x.p, p, size) != 0)
				abort();
			json_decref(v);
			lp_buf_reset(&x);
		}
		lp_record_parse(&b, p, size);
		lp_record_root(&b);
		if (lp_lineage_stamp(&lg, &a, 5, &x) !=
		    lp_lineage_stamp(&lg, &b, 5, &y))
			abort();
		if (x.len != y.len ||
		    (x.len > 0 && memcmp(x.p, y.p, x.len) != 0))
			abort();
	}
	lp_record_release(&a);
	lp_record_release(&b);
	lp_buf_release(&x);
	lp_buf_release(&y);
	return 0;
}
