/*
 * libFuzzer target for the parsers of outside text lp-clean and lp-sample
 * use: prices, units, personal data, cleaning rules (the built-in list and
 * the input read as a rules file), expressions, text normalisation.
 * Invariants: nothing crashes or reads out of bounds; units and rules
 * never grow text without bound; a unit rewrite is a fixed point; the
 * display form of a text folds to what the text folds to; an expression
 * that compiles evaluates.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "text/expr.h"
#include "text/pii.h"
#include "text/price.h"
#include "core/record.h"
#include "text/rules.h"
#include "text/text.h"
#include "text/units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lp_rules rules;
	static struct lp_text t;
	static int init;
	struct lp_buf a = LP_BUF_INIT, b = LP_BUF_INIT, c = LP_BUF_INIT;
	struct lp_rules more;
	struct lp_record rec;
	struct lp_expr *e;
	const char *p = (const char *)data;
	struct lp_error err;
	char *src;
	long long ne = 0, np = 0;
	int col;

	if (!init) {
		lp_rules_default(&rules);
		init = 1;
	}
	json_decref(lp_price_parse(p, size));
	lp_units_apply(p, size, &a, NULL);
	if (a.len > 0) {
		lp_units_apply(a.p, a.len, &b, NULL);
		if (b.len != a.len || memcmp(a.p, b.p, a.len) != 0)
			abort(); /* one spelling: rewriting again changes
				    nothing */
	}
	lp_buf_reset(&a);
	lp_pii_redact(p, size, &a, &ne, &np);
	lp_buf_reset(&a);
	lp_rules_apply(&rules, p, size, &a);
	if (a.len > 8 * size + 64)
		abort();
	/* The display form differs from the text only in case. */
	lp_buf_reset(&a);
	if (lp_text_normalize(&t, p, size, 0, &a) == LP_OK) {
		lp_buf_reset(&b);
		lp_rules_case(&rules, a.p ? a.p : "", a.len,
		    lp_rules_shouting(&rules, a.p ? a.p : "", a.len), &b);
		lp_buf_reset(&c);
		lp_text_normalize(&t, a.p ? a.p : "", a.len, LP_TEXT_FOLD, &c);
		lp_buf_reset(&a);
		lp_text_normalize(&t, b.p ? b.p : "", b.len, LP_TEXT_FOLD, &a);
		if (a.len != c.len || memcmp(a.p, c.p, a.len) != 0)
			abort();
		lp_buf_reset(&c);
	}
	lp_rules_condition(&rules, p, size);
	json_decref(lp_price_parse_as(p, size, "GBP"));
	lp_buf_reset(&a);
	lp_text_normalize(&t, p, size, LP_TEXT_FOLD | LP_TEXT_NO_EMOJI, &a);
	lp_utf8_repair(p, size, &c);

	memset(&more, 0, sizeof(more));
	lp_rules_load(&more, p, size, "fuzz", &err);
	lp_rules_release(&more);

	src = malloc(size + 1);
	memcpy(src, p, size);
	src[size] = '\0';
	if ((e = lp_expr_compile(src, &col, &err)) != NULL) {
		static const char line[] =
		    "{\"a\":1,\"b\":\"x\",\"c\":{\"d\":[1]},\"e\":null}";

		lp_record_init(&rec);
		lp_record_parse(&rec, line, sizeof(line) - 1);
		lp_expr_eval(e, &rec);
		lp_record_release(&rec);
		lp_expr_free(e);
	} else if (col < 1 || (size_t)col > strlen(src) + 1)
		abort(); /* the column is inside the expression or just past */
	free(src);
	lp_buf_release(&a);
	lp_buf_release(&b);
	lp_buf_release(&c);
	return 0;
}
