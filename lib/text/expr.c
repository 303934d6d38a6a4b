#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/status.h"
#include "core/buf.h"
#include "text/expr.h"

enum kind { OR, AND, NOT, CMP, PATH, HAS, NUM, STR, BOOL, NUL };
enum op { EQ, NE, LT, LE, GT, GE };

struct lp_expr {
	enum kind kind;
	enum op op;
	struct lp_expr *a, *b;
	double num;
	char *str; /* a path, or a string's bytes */
	size_t len;
};

/* The parser: a cursor into the source and the first error met. */
struct parser {
	const char *src, *p;
	struct lp_error *err;
	int col, failed;
};

static void
fail(struct parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = 1;
	ps->col = (int)(at - ps->src) + 1;
	va_start(ap, fmt);
	if (ps->err != NULL)
		vsnprintf(ps->err->msg, sizeof(ps->err->msg), fmt, ap);
	va_end(ap);
}

static struct lp_expr *
node(enum kind kind)
{
	struct lp_expr *e = lp_xmalloc(sizeof(*e));

	memset(e, 0, sizeof(*e));
	e->kind = kind;
	return e;
}

static void
skip(struct parser *ps)
{
	while (isspace((unsigned char)*ps->p))
		ps->p++;
}

static int
eat(struct parser *ps, const char *tok)
{
	size_t n = strlen(tok);

	skip(ps);
	if (strncmp(ps->p, tok, n) != 0)
		return 0;
	ps->p += n;
	return 1;
}

static int
path_char(int c, int first)
{
	return isalpha(c) || c == '_' ||
	    (!first && (isdigit(c) || c == '.' || c == '-'));
}

static struct lp_expr *parse_or(struct parser *ps);

static struct lp_expr *
parse_operand(struct parser *ps)
{
	const char *start;
	struct lp_expr *e;

	skip(ps);
	start = ps->p;
	if (eat(ps, "(")) {
		e = parse_or(ps);
		if (!eat(ps, ")"))
			fail(ps, ps->p,
			    "expected ')' to close the '(' at "
			    "column %d",
			    (int)(start - ps->src) + 1);
		return e;
	}
	if (*ps->p == '"' || *ps->p == '\'') {
		char q = *ps->p++;
		struct lp_buf b = LP_BUF_INIT;

		for (; *ps->p != q; ps->p++) {
			if (*ps->p == '\0') {
				fail(ps, start, "unterminated string");
				lp_buf_release(&b);
				return node(NUL);
			}
			if (*ps->p == '\\' && ps->p[1] != '\0')
				ps->p++;
			lp_buf_addc(&b, *ps->p);
		}
		ps->p++;
		e = node(STR);
		e->len = b.len;
		lp_buf_addc(&b, '\0');
		e->str = b.p;
		return e;
	}
	if (isdigit((unsigned char)*ps->p) || *ps->p == '-' || *ps->p == '.') {
		char *end;

		e = node(NUM);
		e->num = strtod(ps->p, &end);
		if (end == ps->p)
			fail(ps, start, "expected a number");
		ps->p = end > ps->p ? end : ps->p + 1;
		return e;
	}
	if (path_char((unsigned char)*ps->p, 1)) {
		size_t n = 0;

		while (path_char((unsigned char)ps->p[n], n == 0))
			n++;
		if (n == 4 && strncmp(ps->p, "true", 4) == 0)
			e = node(BOOL), e->num = 1;
		else if (n == 5 && strncmp(ps->p, "false", 5) == 0)
			e = node(BOOL);
		else if (n == 4 && strncmp(ps->p, "null", 4) == 0)
			e = node(NUL);
		else if (n == 3 && strncmp(ps->p, "has", 3) == 0 &&
		    ps->p[3] == '(') {
			ps->p += 4;
			skip(ps);
			e = parse_operand(ps);
			if (e->kind != PATH)
				fail(ps, ps->p, "has() takes a field name");
			e->kind = HAS;
			if (!eat(ps, ")"))
				fail(ps, ps->p, "expected ')' after has(field");
			return e;
		} else {
			e = node(PATH);
			e->str = lp_xmalloc(n + 1);
			memcpy(e->str, ps->p, n);
			e->str[n] = '\0';
			if (e->str[n - 1] == '.' ||
			    strstr(e->str, "..") != NULL)
				fail(ps, start, "malformed field name '%s'",
				    e->str);
		}
		ps->p += n;
		return e;
	}
	if (*ps->p == '\0')
		fail(ps, start, "expected a value at the end");
	else if (*ps->p == '=')
		fail(ps, start, "unexpected '=' (compare with ==)");
	else
		fail(ps, start, "expected a value, not '%c'", *ps->p);
	return node(NUL);
}

static struct lp_expr *
parse_compare(struct parser *ps)
{
	static const struct {
		const char *tok;
		enum op op;
	} ops[] = {{"==", EQ}, {"!=", NE}, {"<=", LE}, {">=", GE}, {"<", LT},
	    {">", GT}};
	struct lp_expr *left = parse_operand(ps), *e;
	size_t i;

	skip(ps);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (eat(ps, ops[i].tok)) {
			e = node(CMP);
			e->op = ops[i].op;
			e->a = left;
			e->b = parse_operand(ps);
			return e;
		}
	if (*ps->p == '=' && ps->p[1] != '=')
		fail(ps, ps->p, "unexpected '=' (compare with ==)");
	return left;
}

static struct lp_expr *
parse_unary(struct parser *ps)
{
	struct lp_expr *e;

	skip(ps);
	if (ps->p[0] == '!' && ps->p[1] != '=') {
		ps->p++;
		e = node(NOT);
		e->a = parse_unary(ps);
		return e;
	}
	return parse_compare(ps);
}

/* sub { tok sub }, left-associative, as nodes of kind. */
static struct lp_expr *
chain(struct parser *ps, const char *tok, enum kind kind,
    struct lp_expr *(*sub)(struct parser *))
{
	struct lp_expr *e = sub(ps), *n;

	while (!ps->failed && eat(ps, tok)) {
		n = node(kind);
		n->a = e;
		n->b = sub(ps);
		e = n;
	}
	return e;
}

static struct lp_expr *
parse_and(struct parser *ps)
{
	return chain(ps, "&&", AND, parse_unary);
}

static struct lp_expr *
parse_or(struct parser *ps)
{
	return chain(ps, "||", OR, parse_and);
}

struct lp_expr *
lp_expr_compile(const char *src, int *col, struct lp_error *err)
{
	struct parser ps = {src, src, err, 0, 0};
	struct lp_expr *e = parse_or(&ps);

	skip(&ps);
	if (!ps.failed && *ps.p != '\0') {
		if (*ps.p == '&' || *ps.p == '|')
			fail(&ps, ps.p, "unexpected '%c' (and is &&, or is ||)",
			    *ps.p);
		else if (*ps.p == ')')
			fail(&ps, ps.p, "unexpected ')'");
		else
			fail(&ps, ps.p,
			    "expected && or || or the end, not '%c'", *ps.p);
	}
	if (ps.failed) {
		*col = ps.col;
		lp_expr_free(e);
		return NULL;
	}
	return e;
}

/* A value under evaluation: a JSON value from the record or a literal. */
struct val {
	enum { V_MISSING, V_NULL, V_BOOL, V_NUM, V_STR, V_OTHER } t;
	double num;
	const char *s;
	size_t len;
};

static struct val
value(const struct lp_expr *e, struct lp_record *rec)
{
	struct val v = {V_MISSING, 0, NULL, 0};
	json_t *j;

	switch (e->kind) {
	case NUM:
		v.t = V_NUM, v.num = e->num;
		return v;
	case STR:
		v.t = V_STR, v.s = e->str, v.len = e->len;
		return v;
	case BOOL:
		v.t = V_BOOL, v.num = e->num;
		return v;
	case NUL:
		v.t = V_NULL;
		return v;
	case PATH:
		break;
	default:
		v.t = V_BOOL, v.num = lp_expr_eval(e, rec);
		return v;
	}
	if ((j = lp_record_get(rec, e->str)) == NULL)
		return v;
	if (json_is_null(j))
		v.t = V_NULL;
	else if (json_is_boolean(j))
		v.t = V_BOOL, v.num = json_is_true(j);
	else if (json_is_number(j))
		v.t = V_NUM, v.num = json_number_value(j);
	else if (json_is_string(j))
		v.t = V_STR, v.s = json_string_value(j),
		v.len = json_string_length(j);
	else
		v.t = V_OTHER;
	return v;
}

static int
truthy(struct val v)
{
	switch (v.t) {
	case V_BOOL:
	case V_NUM:
		return v.num != 0;
	case V_STR:
		return v.len > 0;
	case V_OTHER:
		return 1;
	default:
		return 0;
	}
}

static int
compare(enum op op, struct val a, struct val b)
{
	int c;

	if (a.t != b.t || a.t == V_MISSING || a.t == V_OTHER)
		return 0;
	if (a.t == V_NUM)
		c = a.num < b.num ? -1 : a.num > b.num;
	else if (a.t == V_STR) {
		c = memcmp(a.s, b.s, a.len < b.len ? a.len : b.len);
		if (c == 0)
			c = (a.len > b.len) - (a.len < b.len);
	} else if (op == EQ || op == NE)
		c = a.num != b.num; /* bool or null */
	else
		return 0;
	switch (op) {
	case EQ:
		return c == 0;
	case NE:
		return c != 0;
	case LT:
		return c < 0;
	case LE:
		return c <= 0;
	case GT:
		return c > 0;
	default:
		return c >= 0;
	}
}

int
lp_expr_eval(const struct lp_expr *e, struct lp_record *rec)
{
	switch (e->kind) {
	case OR:
		return lp_expr_eval(e->a, rec) || lp_expr_eval(e->b, rec);
	case AND:
		return lp_expr_eval(e->a, rec) && lp_expr_eval(e->b, rec);
	case NOT:
		return !lp_expr_eval(e->a, rec);
	case CMP:
		return compare(e->op, value(e->a, rec), value(e->b, rec));
	case HAS: {
		json_t *j = lp_record_get(rec, e->str);

		return j != NULL && !json_is_null(j);
	}
	default:
		return truthy(value(e, rec));
	}
}

void
lp_expr_free(struct lp_expr *e)
{
	if (e == NULL)
		return;
	lp_expr_free(e->a);
	lp_expr_free(e->b);
	free(e->str);
	free(e);
}
