#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/status.h"
#include "metrics/chart.h"

#define WIDTH 480
/* The width of a character of the 13-pixel font, a little generous. */
#define CHAR_W 7.5
#define FONT "font-family=\"sans-serif\" font-size=\"13\""

/* Colours that stay apart for colour-blind readers (Okabe and Ito). */
static const char *const palette[] = {"#0072b2", "#e69f00", "#009e73",
    "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"};

void
lp_html_escape(struct lp_buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&':
			lp_buf_adds(b, "&amp;");
			break;
		case '<':
			lp_buf_adds(b, "&lt;");
			break;
		case '>':
			lp_buf_adds(b, "&gt;");
			break;
		case '"':
			lp_buf_adds(b, "&quot;");
			break;
		default:
			lp_buf_addc(b, *s);
		}
}

/* A label cut to fit max characters (bytes of UTF-8 kept whole). */
static void
label(struct lp_buf *b, const char *s, size_t max)
{
	size_t n = 0, i;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ++n > max) {
			char cut[1024];

			snprintf(cut, sizeof(cut), "%.*s…",
			    (int)(i < 1000 ? i : 1000), s);
			lp_html_escape(b, cut);
			return;
		}
	}
	lp_html_escape(b, s);
}

/*
 * An <svg> as wide as its box, its height from the viewBox's ratio: the
 * chart scales to a narrow window instead of overflowing it.
 */
static void
open_svg(struct lp_buf *b, const char *title, int w, int h)
{
	lp_buf_addf(b,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "width=\"100%%\" viewBox=\"0 0 %d %d\" " FONT "><title>",
	    w, h);
	lp_html_escape(b, title);
	lp_buf_adds(b, "</title>");
	lp_buf_addf(b, "<text x=\"0\" y=\"16\" font-weight=\"bold\">");
	/* Cut to the width; the <title> above keeps it whole. */
	label(b, title, (size_t)(w / (CHAR_W + 1)));
	lp_buf_adds(b, "</text>");
}

/* A value for people: durations in ms read as s, min or h when long. */
static void
value(struct lp_buf *b, double v, const char *unit)
{
	if (isnan(v))
		lp_buf_adds(b, "n/a");
	else if (strcmp(unit, " ms") == 0 && v >= 3.6e6)
		lp_buf_addf(b, "%.1f h", v / 3.6e6);
	else if (strcmp(unit, " ms") == 0 && v >= 6e4)
		lp_buf_addf(b, "%.1f min", v / 6e4);
	else if (strcmp(unit, " ms") == 0 && v >= 1e3)
		lp_buf_addf(b, "%.2f s", v / 1e3);
	else if (fabs(v) >= 1e4)
		lp_buf_addf(b, "%.0f%s", v, unit);
	else
		lp_buf_addf(b, "%.4g%s", v, unit);
}

void
lp_chart_bars(struct lp_buf *b, const char *title, const char *const *labels,
    const double *v, const double *back, size_t n, double vmax,
    const char *unit)
{
	/* Room after the longest bar for its value (and the one behind). */
	const int left = 180, row = 22, top = 28,
		  span = WIDTH - left - (back != NULL ? 150 : 80);
	size_t i;

	if (vmax <= 0)
		for (i = 0; i < n; i++) {
			if (!isnan(v[i]) && v[i] > vmax)
				vmax = v[i];
			if (back != NULL && !isnan(back[i]) && back[i] > vmax)
				vmax = back[i];
		}
	if (vmax <= 0)
		vmax = 1;
	open_svg(b, title, WIDTH, top + (int)n * row + 8);
	for (i = 0; i < n; i++) {
		int y = top + (int)i * row;

		lp_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    left - 6, y + 15);
		label(b, labels[i], 22);
		lp_buf_adds(b, "</text>");
		if (back != NULL && !isnan(back[i]))
			lp_buf_addf(b,
			    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" "
			    "height=\"16\" fill=\"%s\" opacity=\"0.35\"/>",
			    left, y + 3, span * fmin(back[i] / vmax, 1.0),
			    palette[0]);
		if (!isnan(v[i]))
			lp_buf_addf(b,
			    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" "
			    "height=\"16\" fill=\"%s\"/>",
			    left, y + 3, span * fmax(fmin(v[i] / vmax, 1.0), 0),
			    palette[0]);
		lp_buf_addf(b, "<text x=\"%.1f\" y=\"%d\">",
		    left + 4 +
			span *
			    (isnan(v[i])
				    ? 0
				    : fmax(fmin((back && !isnan(back[i])
							? fmax(back[i], v[i])
							: v[i]) /
						   vmax,
					       1.0),
					  0)),
		    y + 15);
		value(b, v[i], unit);
		if (back != NULL && !isnan(back[i])) {
			lp_buf_adds(b, " / ");
			value(b, back[i], unit);
		}
		lp_buf_adds(b, "</text>");
	}
	lp_buf_adds(b, "</svg>\n");
}

/* Red (0 and below) to yellow (0.5) to green (1). */
static void
heat_colour(double v, char out[8])
{
	double t = fmax(0, fmin(1, v));
	int r = t < 0.5 ? 215 : (int)(215 - (t - 0.5) * 2 * (215 - 26));
	int g = t < 0.5 ? (int)(48 + t * 2 * (190 - 48))
			: (int)(190 - (t - 0.5) * 2 * (190 - 150));
	int bl = t < 0.5 ? 39 : (int)(39 + (t - 0.5) * 2 * (80 - 39));

	snprintf(out, 8, "#%02x%02x%02x", r & 0xff, g & 0xff, bl & 0xff);
}

void
lp_chart_heat(struct lp_buf *b, const char *title, const char *const *rows,
    const char *const *cols, const double *v, size_t nrows, size_t ncols)
{
	const int left = 140, top = 50, cell = 56;
	size_t r, c;
	int w = left + (int)ncols * cell + 10;

	open_svg(b, title, w < WIDTH ? WIDTH : w, top + (int)nrows * cell + 8);
	for (c = 0; c < ncols; c++) {
		lp_buf_addf(b,
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
		    left + (int)c * cell + cell / 2, top - 8);
		label(b, cols[c], 8);
		lp_buf_adds(b, "</text>");
	}
	for (r = 0; r < nrows; r++) {
		int y = top + (int)r * cell;

		lp_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    left - 6, y + cell / 2 + 4);
		label(b, rows[r], 20);
		lp_buf_adds(b, "</text>");
		for (c = 0; c < ncols; c++) {
			double x = v[r * ncols + c];
			char col[8] = "#dddddd";

			if (!isnan(x))
				heat_colour(x, col);
			lp_buf_addf(b,
			    "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"%d\" "
			    "fill=\"%s\" stroke=\"#ffffff\"/>"
			    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
			    left + (int)c * cell, y, cell, cell, col,
			    left + (int)c * cell + cell / 2, y + cell / 2 + 4);
			if (isnan(x))
				lp_buf_adds(b, "n/a");
			else
				lp_buf_addf(b, "%.2f", x);
			lp_buf_adds(b, "</text>");
		}
	}
	lp_buf_adds(b, "</svg>\n");
}

size_t
lp_chart_label_step(const char *const *xs, size_t nx, int span)
{
	size_t i, chars = 1, step;
	double gap, need;

	if (nx < 2)
		return 1;
	for (i = 0; i < nx; i++) {
		size_t n = 0;
		const char *p;

		/* Characters, not bytes; labels are cut at 12. */
		for (p = xs[i]; *p != '\0'; p++)
			n += ((unsigned char)*p & 0xc0) != 0x80;
		chars = n > chars ? n : chars;
	}
	chars = chars > 13 ? 13 : chars;
	gap = (double)span / (double)(nx - 1);
	need = (double)chars * CHAR_W + 10;
	step = (size_t)ceil(need / gap);
	return step < 1 ? 1 : step;
}

void
lp_chart_lines(struct lp_buf *b, const char *title, const char *const *xs,
    size_t nx, const char *const *names, const double *y, size_t nseries)
{
	const int left = 60, top = 30, h = 180, right = 20;
	const int span = WIDTH - left - right - 120;
	double lo = 0, hi = 0;
	size_t s, i, step;

	for (i = 0; i < nx * nseries; i++)
		if (!isnan(y[i])) {
			lo = fmin(lo, y[i]);
			hi = fmax(hi, y[i]);
		}
	if (hi <= lo)
		hi = lo + 1;
	open_svg(b, title, WIDTH, top + h + 40);
	/* Axes, with the bounds of y written at its ends. */
	lp_buf_addf(b,
	    "<path d=\"M%d %d V%d H%d\" stroke=\"#888888\" fill=\"none\"/>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4g</text>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4g</text>",
	    left, top, top + h, left + span, left - 4, top + 10, hi, left - 4,
	    top + h, lo);
	step = lp_chart_label_step(xs, nx, span);
	for (i = 0; i < nx; i++) {
		/*
		 * Every step-th label from the first, and the last, so that
		 * no two are closer than step points and none overlaps.
		 */
		if (i != nx - 1 && (i % step != 0 || nx - 1 - i < step))
			continue;
		lp_buf_addf(b,
		    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
		    left +
			(nx > 1 ? span * (double)i / (double)(nx - 1)
				: span / 2.0),
		    top + h + 16);
		label(b, xs[i], 12);
		lp_buf_adds(b, "</text>");
	}
	for (s = 0; s < nseries; s++) {
		const char *col = palette[s % 8];
		int pen = 0;

		lp_buf_addf(b,
		    "<path fill=\"none\" stroke=\"%s\" "
		    "stroke-width=\"2\" d=\"",
		    col);
		for (i = 0; i < nx; i++) {
			double v = y[s * nx + i];

			if (isnan(v)) {
				pen = 0;
				continue;
			}
			lp_buf_addf(b, "%c%.1f %.1f ", pen ? 'L' : 'M',
			    left +
				(nx > 1 ? span * (double)i / (double)(nx - 1)
					: span / 2.0),
			    top + h - h * (v - lo) / (hi - lo));
			pen = 1;
		}
		lp_buf_adds(b, "\"/>");
		for (i = 0; i < nx; i++)
			if (!isnan(y[s * nx + i]))
				lp_buf_addf(b,
				    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
				    "fill=\"%s\"/>",
				    left +
					(nx > 1 ? span * (double)i /
						    (double)(nx - 1)
						: span / 2.0),
				    top + h -
					h * (y[s * nx + i] - lo) / (hi - lo),
				    col);
		lp_buf_addf(b,
		    "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" "
		    "fill=\"%s\"/><text x=\"%d\" y=\"%d\">",
		    left + span + 12, top + (int)s * 18, col, left + span + 26,
		    top + (int)s * 18 + 9);
		label(b, names[s], 14);
		lp_buf_adds(b, "</text>");
	}
	lp_buf_adds(b, "</svg>\n");
}

void
lp_chart_counts(struct lp_buf *b, const char *title, const char *const *rows,
    const char *const *cols, const long long *v, size_t nrows, size_t ncols)
{
	const int left = 150, top = 50, cell = 48;
	int w = left + (int)ncols * cell + 10;
	size_t r, c;

	/* As narrow as it can be: matrices may stand side by side. */
	open_svg(b, title, w < 360 ? 360 : w, top + (int)nrows * cell + 8);
	for (c = 0; c < ncols; c++) {
		lp_buf_addf(b,
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
		    left + (int)c * cell + cell / 2, top - 8);
		label(b, cols[c], 6);
		lp_buf_adds(b, "</text>");
	}
	for (r = 0; r < nrows; r++) {
		long long sum = 0;
		int y = top + (int)r * cell;

		for (c = 0; c < ncols; c++)
			sum += v[r * ncols + c];
		lp_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    left - 6, y + cell / 2 + 4);
		label(b, rows[r], 22);
		lp_buf_adds(b, "</text>");
		for (c = 0; c < ncols; c++) {
			long long x = v[r * ncols + c];
			/* Shade by the share of the row: where it went. */
			double t = sum > 0 ? (double)x / (double)sum : 0;

			lp_buf_addf(b,
			    "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"%d\" fill=\"%s\" fill-opacity=\"%.2f\" "
			    "stroke=\"#bbbbbb\"/><text x=\"%d\" y=\"%d\" "
			    "text-anchor=\"middle\"%s>%lld</text>",
			    left + (int)c * cell, y, cell, cell,
			    r == c ? palette[2] : palette[5],
			    x > 0 ? 0.15 + 0.85 * t : 0.0,
			    left + (int)c * cell + cell / 2, y + cell / 2 + 4,
			    t > 0.6 ? " fill=\"#ffffff\"" : "", x);
		}
	}
	lp_buf_adds(b, "</svg>\n");
}

void
lp_chart_calibration(struct lp_buf *b, const char *title, const double *from,
    const double *to, const double *acc, const long long *items, size_t n)
{
	const int left = 50, top = 30, h = 200, span = 220;
	size_t i;

	open_svg(b, title, WIDTH, top + h + 44);
	/* The axes, and the diagonal of a judge right as often as sure. */
	lp_buf_addf(b,
	    "<path d=\"M%d %d V%d H%d\" stroke=\"#888888\" fill=\"none\"/>"
	    "<path d=\"M%d %d L%d %d\" stroke=\"#888888\" "
	    "stroke-dasharray=\"4 3\"/>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">100%%</text>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0%%</text>"
	    "<text x=\"%d\" y=\"%d\">0</text>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">1</text>"
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">confidence"
	    "</text>",
	    left, top, top + h, left + span, left, top + h, left + span, top,
	    left - 4, top + 10, left - 4, top + h, left, top + h + 16,
	    left + span, top + h + 16, left + span / 2, top + h + 34);
	for (i = 0; i < n; i++) {
		double x0 = left + span * fmax(0, fmin(1, from[i])),
		       x1 = left + span * fmax(0, fmin(1, to[i])),
		       a = isnan(acc[i]) ? 0 : fmax(0, fmin(1, acc[i]));

		lp_buf_addf(b,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"%s\" opacity=\"0.8\"/>",
		    x0 + 1, top + h - h * a, fmax(1, x1 - x0 - 2), h * a,
		    palette[0]);
	}
	/* A legend of the bins beside the plot: accuracy and items. */
	for (i = 0; i < n && i < 10; i++) {
		lp_buf_addf(b,
		    "<text x=\"%d\" y=\"%d\">%.1f-%.1f: ", left + span + 14,
		    top + 12 + (int)i * 20, from[i], to[i]);
		if (isnan(acc[i]))
			lp_buf_adds(b, "n/a");
		else
			lp_buf_addf(b, "%.1f%%", 100 * acc[i]);
		lp_buf_addf(b, " of %lld</text>", items[i]);
	}
	lp_buf_adds(b, "</svg>\n");
}
