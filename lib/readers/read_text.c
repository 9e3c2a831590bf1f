/*
 * Line reader for text logs without a column layout: OAB generator logs and any other
 * text log found in the evidence. Each line is a record with its raw text; its time is
 * read from a leading timestamp when there is one:
 *
 *   2021-03-03T06:59:21.004Z,OABGenerator,Error,Download failed and temporary file '...' needs to be removed
 *   2021-03-03 06:59:21 some other log line
 *
 * Lines starting with '#' (Exchange header blocks) and blank lines are counted as
 * comments, not records.
 */
#include "readers/reader.h"

xh_status xh_read_text(struct xh_read_ctx *c)
{
	struct xh_line l;
	struct xh_record r;
	xh_status st;
	int got;

	while ((got = xh_reader_line(c, &l, &r)) == 1) {
		if (l.n == 0 || l.p[0] == '#') {
			c->st->comments++;
			continue;
		}
		if (l.cut) {
			st = xh_emit_bad(c, &r, XH_BAD_CUT, 0, 0);
		} else {
			int64_t ms;
			if (xh_parse_iso(l.p, l.n, &ms))
				r.time_ms = ms;
			st = c->emit(c, &r);
		}
		if (st)
			return st;
	}
	return got < 0 ? XH_EIO : XH_OK;
}
