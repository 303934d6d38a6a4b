/*
 * Record filters: a small expression language over record fields, for
 * lp-sample --questionable (and any tool that selects records).
 *
 *   expr    := or
 *   or      := and { "||" and }
 *   and     := unary { "&&" unary }
 *   unary   := "!" unary | compare
 *   compare := operand [ ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) operand ]
 *   operand := number | string | true | false | null | has(path) | path
 *            | "(" expr ")"
 *
 * A path is a dotted field name (rating.score).  Strings take single or
 * double quotes, with backslash escaping the quote or a backslash.
 * A path alone is a presence test: true when the field is there and is not
 * null, false, 0 or "" (an array or object counts as there).  has(path) is
 * true when the field is there and not null.  Numbers compare as numbers,
 * strings byte by byte, true and false only for (in)equality; a comparison
 * with a missing field, or between different types, is false (!= too).
 */
#ifndef LP_EXPR_H
#define LP_EXPR_H

#include <stddef.h>

#include "core/error.h"
#include "core/record.h"

struct lp_expr;

/*
 * Compile src.  NULL on a malformed expression, with the 1-based column
 * where it broke in *col and what is wrong in err.
 */
struct lp_expr *lp_expr_compile(
    const char *src, int *col, struct lp_error *err);
/* 1 if rec satisfies e, else 0. */
int lp_expr_eval(const struct lp_expr *e, struct lp_record *rec);
/* Free e and its parts; e may be NULL. */
void lp_expr_free(struct lp_expr *e);

#endif
