/*
 * IIS W3C extended log reader (also HTTP.sys HTTPERR logs, which use the same format).
 *
 *   #Software: Microsoft Internet Information Services 10.0
 *   #Version: 1.0
 *   #Date: 2021-03-03 00:00:00
 *   #Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken
 *   2021-03-03 06:49:42 10.10.1.5 POST /ecp/y.js &CorrelationID=<empty>;&cafeReqId=0b1c...; 443 - 104.250.191.110 ExchangeServicesClient/0.0.0.0 - 200 0 0 31
 *
 * Fields are separated by single spaces, "-" is null, spaces inside the user agent and
 * referer are written as "+" (kept raw here). Times are UTC whatever the server's zone.
 * The column map is rebuilt at every #Fields line because IIS restarts with a new
 * configuration write a new header mid-file. A data line whose field count differs
 * from its header is a bad record (raw text kept); so is any line before a #Fields.
 */
#include "readers/reader.h"

struct w3c_state {
	struct xh_schema schema;
	char software[XH_MAX_DIRECTIVE];   /* #Software in effect, on every record */
	struct xh_sv software_v;
	bool have_schema;
	size_t ndate, ntime;    /* column index of date and time, SIZE_MAX if absent */
	char last_date[10];     /* cache: the date changes once a day, lines come by millions */
	int64_t last_days;
	bool date_valid;        /* last_date holds a parsed date */
};

size_t xh_w3c_split(const char *p, size_t n, struct xh_sv *out, size_t max)
{
	const char *end = p + n;
	size_t k = 0;

	for (;;) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		const char *fe = sp ? sp : end;
		size_t len = (size_t)(fe - p);

		if (k == max)
			return max + 1;
		if (len == 1 && p[0] == '-')
			out[k] = xh_sv_make(NULL, 0);
		else
			out[k] = xh_sv_make(p, len);
		k++;
		if (!sp)
			return k;
		p = sp + 1;
	}
}

/* Rebuilds the column map from "#Fields: a b c". false when the header is unusable. */
static bool load_fields(struct w3c_state *w, struct xh_scratch *s, const char *p, size_t n)
{
	size_t k = 0, used = 0;
	const char *end = p + n;

	w->have_schema = false;
	w->ndate = w->ntime = SIZE_MAX;
	while (p < end) {
		const char *sp;
		size_t len;

		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		sp = memchr(p, ' ', (size_t)(end - p));
		len = (size_t)((sp ? sp : end) - p);
		if (k == XH_MAX_FIELDS || len > XH_MAX_FIELD_NAME)
			return false;
		memcpy(s->names_store + used, p, len);
		s->names_store[used + len] = '\0';
		s->names[k] = s->names_store + used;
		if (len == 4 && memcmp(p, "date", 4) == 0)
			w->ndate = k;
		else if (len == 4 && memcmp(p, "time", 4) == 0)
			w->ntime = k;
		used += len + 1;
		k++;
		p += len;
	}
	if (k == 0)
		return false;
	w->schema.n = k;
	w->schema.id = xh_schema_next_id();
	w->schema.names = s->names;
	w->have_schema = true;
	return true;
}

static bool two(const char *p, unsigned *v)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return false;
	*v = (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
	return true;
}

/* date "2021-03-03", time "06:49:42" (IIS may add ".fff" when configured). */
static bool w3c_time(struct w3c_state *w, struct xh_sv d, struct xh_sv t, int64_t *ms)
{
	unsigned h, mi, s;
	int64_t frac = 0;

	if (!d.p || !t.p || d.n != 10 || t.n < 8)
		return false;
	if (!w->date_valid || memcmp(d.p, w->last_date, 10) != 0) {
		char tmp[20];
		int64_t v;
		memcpy(tmp, d.p, 10);
		memcpy(tmp + 10, " 00:00:00", 9);
		if (xh_parse_iso(tmp, 19, &v) != 19)
			return false;
		memcpy(w->last_date, d.p, 10);
		w->last_days = v;
		w->date_valid = true;
	}
	if (t.p[2] != ':' || t.p[5] != ':' || !two(t.p, &h) || !two(t.p + 3, &mi) || !two(t.p + 6, &s) ||
	    h > 23 || mi > 59 || s > 60)
		return false;
	if (t.n > 8) {
		int64_t scale = 100;
		if (t.p[8] != '.')
			return false;
		for (size_t i = 9; i < t.n; i++) {
			if (t.p[i] < '0' || t.p[i] > '9')
				return false;
			frac += (t.p[i] - '0') * scale;
			scale /= 10;
		}
	}
	*ms = w->last_days + ((int64_t)h * 3600 + mi * 60 + s) * 1000 + frac;
	return true;
}

/* The directives of the W3C working draft and what IIS writes; others are "odd". */
static bool known_directive(const char *p, size_t n)
{
	static const char *const known[] = {"#Software:", "#Version:", "#Date:", "#Remark:",
	                                    "#Start-Date:", "#End-Date:", NULL};
	for (size_t i = 0; known[i]; i++) {
		size_t k = strlen(known[i]);
		if (n >= k && memcmp(p, known[i], k) == 0)
			return true;
	}
	return false;
}

xh_status xh_read_w3c(struct xh_read_ctx *c)
{
	struct w3c_state w;
	struct xh_line l;
	struct xh_record r;
	xh_status st;
	int got;

	memset(&w, 0, sizeof w);
	w.ndate = w.ntime = SIZE_MAX;
	while ((got = xh_reader_line(c, &l, &r)) == 1) {
		size_t nf;

		/* '#' lines are directives or comments, never records: every other line is
		 * exactly one record or one bad record */
		if (l.n && l.p[0] == '#') {
			c->st->comments++;
			if (l.cut)
				c->st->odd_comments++;
			else if (l.n >= 8 && memcmp(l.p, "#Fields:", 8) == 0) {
				/* an unusable header leaves no schema: the data lines after it are
				 * bad records that say so */
				if (!load_fields(&w, c->scr, l.p + 8, l.n - 8))
					c->st->odd_comments++;
			} else if (l.n >= 10 && memcmp(l.p, "#Software:", 10) == 0)
				w.software_v = xh_keep_directive(l.p, l.n, 10, w.software);
			else if (!known_directive(l.p, l.n))
				c->st->odd_comments++;
			continue;
		}
		if (l.cut) {
			st = xh_emit_bad(c, &r, XH_BAD_CUT, 0, 0);
			goto next;
		}
		if (l.n == 0) {
			st = xh_emit_bad(c, &r, "empty line", 0, 0);
			goto next;
		}
		if (!w.have_schema) {
			st = xh_emit_bad(c, &r, XH_BAD_NO_FIELDS, 0, 0);
			goto next;
		}
		nf = xh_w3c_split(l.p, l.n, c->scr->fields, w.schema.n);
		if (nf != w.schema.n) {
			st = xh_emit_bad(c, &r, "field count differs from #Fields", nf, w.schema.n);
			goto next;
		}
		if (w.ndate != SIZE_MAX && w.ntime != SIZE_MAX &&
		    !w3c_time(&w, c->scr->fields[w.ndate], c->scr->fields[w.ntime], &r.time_ms)) {
			st = xh_emit_bad(c, &r, "invalid date or time", 0, 0);
			goto next;
		}
		r.schema = &w.schema;
		r.fields = c->scr->fields;
		r.nfields = nf;
		r.software = w.software_v;
		st = c->emit(c, &r);
next:
		if (st)
			return st;
	}
	return got < 0 ? XH_EIO : XH_OK;
}
