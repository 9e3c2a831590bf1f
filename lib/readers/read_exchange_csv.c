/*
 * Exchange CSV-family reader: HttpProxy, ECP Server/Activity, Rps_Http, Rps_Cmdlet,
 * EWS, OWA, message tracking and any other log with this container:
 *
 *   #Software: Microsoft Exchange Server
 *   #Version: 15.01.2176.002
 *   #Log-type: ECP Server Log
 *   #Date: 2021-03-03T00:00:02.113Z
 *   #Fields: TimeStamp,ServerName,EventId,EventData
 *   2021-03-03T06:49:53.772Z,EXCH01,ECP.Request,"'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://f/<script language=""JScript"" ...''';S:BLD=15.1.2176.2"
 *
 * A real CSV state machine: quoted fields, doubled quotes, commas and newlines inside
 * quotes (a record may span lines). Column names come from #Fields and are matched
 * case-insensitively by consumers; a header may repeat mid-file, either as a new
 * #Fields block or as a bare data row equal to the column names (counted as a comment).
 * ECP EventData is also split into its S:KEY=value parts as derived fields.
 */
#include "readers/reader.h"

#include <strings.h>

size_t xh_csv_split(const char *p, size_t n, struct xh_sv *out, size_t max, struct xh_buf *unq,
                    bool *open)
{
	size_t i = 0, k = 0;

	*open = false;
	for (;;) {
		if (k == max)
			return max + 1;
		if (i < n && p[i] == '"') {
			/* quoted: copy out only if a doubled quote needs undoing */
			size_t start = ++i, ustart = unq->len;
			bool copied = false;
			for (;;) {
				const char *q = i < n ? memchr(p + i, '"', n - i) : NULL;
				if (!q) {
					*open = true;
					if (copied) {
						xh_buf_add(unq, p + i, n - i);
						out[k] = xh_sv_make(unq->p + ustart, unq->len - ustart);
					} else {
						out[k] = xh_sv_make(p + start, n - start);
					}
					return k + 1;
				}
				size_t qi = (size_t)(q - p);
				if (qi + 1 < n && p[qi + 1] == '"') {
					if (!copied) {
						xh_buf_add(unq, p + start, qi + 1 - start);
						copied = true;
					} else {
						xh_buf_add(unq, p + i, qi + 1 - i);
					}
					i = qi + 2;
					continue;
				}
				if (copied) {
					xh_buf_add(unq, p + i, qi - i);
					out[k] = xh_sv_make(unq->p + ustart, unq->len - ustart);
				} else {
					out[k] = xh_sv_make(p + start, qi - start);
				}
				i = qi + 1;
				break;
			}
			/* text after the closing quote up to the comma is kept (lenient, as
			 * Python's csv); it only happens in damaged lines */
			if (i < n && p[i] != ',') {
				const char *cm = memchr(p + i, ',', n - i);
				i = cm ? (size_t)(cm - p) : n;
			}
			k++;
		} else {
			const char *cm = i < n ? memchr(p + i, ',', n - i) : NULL;
			size_t fe = cm ? (size_t)(cm - p) : n;
			out[k++] = fe > i ? xh_sv_make(p + i, fe - i) : xh_sv_make(NULL, 0);
			i = fe;
		}
		if (i >= n)
			return k;
		i++; /* the comma */
		if (i == n) {
			if (k == max)
				return max + 1;
			out[k++] = xh_sv_make(NULL, 0);
			return k;
		}
	}
}

size_t xh_ecp_split(const char *p, size_t n, struct xh_sv *names, struct xh_sv *values, size_t max,
                    struct xh_buf *buf)
{
	size_t i = 0, k = 0;

	while (i < n && k < max) {
		struct xh_sv part;

		if (p[i] == ';') {
			i++;
			continue;
		}
		if (p[i] == '\'') {
			/* 'S:KEY=value with '' doubled' */
			size_t start = buf->len;
			i++;
			while (i < n) {
				if (p[i] == '\'') {
					if (i + 1 < n && p[i + 1] == '\'') {
						xh_buf_addc(buf, '\'');
						i += 2;
						continue;
					}
					i++;
					break;
				}
				xh_buf_addc(buf, p[i++]);
			}
			part = xh_sv_make(buf->p + start, buf->len - start);
			while (i < n && p[i] != ';')
				i++;
		} else {
			const char *sc = memchr(p + i, ';', n - i);
			size_t e = sc ? (size_t)(sc - p) : n;
			part = xh_sv_make(p + i, e - i);
			i = e;
		}
		{
			const char *eq = memchr(part.p, '=', part.n);
			if (!eq || eq == part.p)
				continue;
			names[k] = xh_sv_make(part.p, (size_t)(eq - part.p));
			values[k] = xh_sv_make(eq + 1, part.n - (size_t)(eq - part.p) - 1);
			if (values[k].n == 0)
				values[k].p = NULL;
			k++;
		}
	}
	return k;
}

struct exchange_csv_state {
	struct xh_schema schema;
	bool have_schema;
	size_t ntime;          /* DateTime / TimeStamp / date-time column, SIZE_MAX if none */
	size_t nevent;         /* ECP EventData column, SIZE_MAX if none */
	char *header_text;     /* the #Fields list as written, to spot repeated header rows */
	size_t header_len;
	/* directives in effect, exposed on every record */
	char software[XH_MAX_DIRECTIVE], version[XH_MAX_DIRECTIVE], log_type[XH_MAX_DIRECTIVE];
	struct xh_sv software_v, version_v, log_type_v;
};


static bool load_fields(struct exchange_csv_state *x, struct xh_scratch *s, const char *p, size_t n)
{
	struct xh_sv cols[XH_MAX_FIELDS];
	size_t k, used = 0;
	bool open;

	x->have_schema = false;
	x->ntime = x->nevent = SIZE_MAX;
	while (n && *p == ' ') {
		p++;
		n--;
	}
	s->unq.len = 0;
	if (xh_buf_reserve(&s->unq, n))
		return false;
	k = xh_csv_split(p, n, cols, XH_MAX_FIELDS, &s->unq, &open);
	if (k == 0 || k > XH_MAX_FIELDS || open)
		return false;
	for (size_t i = 0; i < k; i++) {
		struct xh_sv c = xh_sv_trim(cols[i]);
		if (!c.p || c.n > XH_MAX_FIELD_NAME)
			return false;
		memcpy(s->names_store + used, c.p, c.n);
		s->names_store[used + c.n] = '\0';
		s->names[i] = s->names_store + used;
		used += c.n + 1;
		if (x->ntime == SIZE_MAX && (xh_sv_ieq(c, "DateTime") || xh_sv_ieq(c, "TimeStamp") ||
		                             xh_sv_ieq(c, "date-time")))
			x->ntime = i;
		if (xh_sv_ieq(c, "EventData"))
			x->nevent = i;
	}
	xh_free(x->header_text);
	x->header_text = xh_strndup(p, n);
	x->header_len = x->header_text ? n : 0;
	x->schema.n = k;
	x->schema.id = xh_schema_next_id();
	x->schema.names = s->names;
	x->have_schema = true;
	return true;
}

static size_t count_quotes(const char *p, size_t n)
{
	size_t k = 0;
	for (const char *q = p; (q = memchr(q, '"', n - (size_t)(q - p))) != NULL; q++)
		k++;
	return k;
}

/* A quoted field grew past the limit while `last` (a line inside it) was read. Follows
 * the quote state to the line that closes it, keeping nothing, so that the whole span
 * is one bad record and the records after it are read as they are: without this, the
 * rest of the field would be parsed as records and could swallow the file. Inside a
 * quoted field, doubled quotes come in pairs; an odd count on a line closes it. */
static int skip_quoted(struct xh_read_ctx *c, struct xh_line *last, struct xh_sv *rec, bool *complete)
{
	struct xh_scratch *s = c->scr;
	bool open = (count_quotes(last->p, last->n) & 1) == 0;
	int got = 1;

	while (open) {
		struct xh_line more;
		got = xh_in_line(c->in, &more);
		if (got != 1)
			break;
		if (count_quotes(more.p, more.n) & 1)
			open = false;
	}
	*complete = false;
	*rec = xh_sv_make(s->join.p, s->join.len);
	return got;
}

/* One logical CSV record starting at line l: joins continuation lines while a quoted
 * field is open. Returns the record text (l's view, or the join buffer) and whether it
 * could be completed. */
static int gather(struct xh_read_ctx *c, struct xh_line *l, struct xh_sv *rec, bool *complete)
{
	struct xh_scratch *s = c->scr;
	struct xh_sv f[XH_MAX_FIELDS];
	bool open;

	*complete = true;
	*rec = xh_sv_make(l->p, l->n);
	if (!memchr(l->p, '"', l->n))
		return 1;
	s->unq.len = 0;
	if (xh_buf_reserve(&s->unq, l->n))
		return 1;
	xh_csv_split(l->p, l->n, f, XH_MAX_FIELDS, &s->unq, &open);
	if (!open)
		return 1;
	s->join.len = 0;
	if (xh_buf_add(&s->join, l->p, l->n))
		return skip_quoted(c, l, rec, complete);
	for (;;) {
		struct xh_line more;
		int got = xh_in_line(c->in, &more);
		if (got != 1) {
			*complete = false;
			*rec = xh_sv_make(s->join.p, s->join.len);
			return got;
		}
		if (more.cut || xh_buf_addc(&s->join, '\n') || xh_buf_add(&s->join, more.p, more.n))
			return skip_quoted(c, &more, rec, complete);
		s->unq.len = 0;
		if (xh_buf_reserve(&s->unq, s->join.len))
			return skip_quoted(c, &more, rec, complete);
		xh_csv_split(s->join.p, s->join.len, f, XH_MAX_FIELDS, &s->unq, &open);
		if (!open) {
			*rec = xh_sv_make(s->join.p, s->join.len);
			return 1;
		}
	}
}

xh_status xh_read_exchange_csv(struct xh_read_ctx *c)
{
	struct exchange_csv_state x;
	struct xh_scratch *s = c->scr;
	bool ecp = strncmp(c->source->name, "ecp", 3) == 0;
	struct xh_line l;
	struct xh_record r;
	xh_status st = XH_OK;
	int got;

	memset(&x, 0, sizeof x);
	x.ntime = x.nevent = SIZE_MAX;
	while ((got = xh_reader_line(c, &l, &r)) == 1) {
		struct xh_sv rec;
		bool complete, open;
		size_t nf;

		/* '#' lines are directives or comments, never records (see read_w3c.c) */
		if (l.n && l.p[0] == '#') {
			c->st->comments++;
			if (l.cut) {
				c->st->odd_comments++;
			} else if (l.n >= 8 && strncasecmp(l.p, "#Fields:", 8) == 0) {
				if (!load_fields(&x, s, l.p + 8, l.n - 8))
					c->st->odd_comments++;
			} else if (l.n >= 10 && strncasecmp(l.p, "#Software:", 10) == 0) {
				x.software_v = xh_keep_directive(l.p, l.n, 10, x.software);
			} else if (l.n >= 9 && strncasecmp(l.p, "#Version:", 9) == 0) {
				x.version_v = xh_keep_directive(l.p, l.n, 9, x.version);
			} else if (l.n >= 10 && strncasecmp(l.p, "#Log-type:", 10) == 0) {
				x.log_type_v = xh_keep_directive(l.p, l.n, 10, x.log_type);
			} else if (!(l.n >= 6 && strncasecmp(l.p, "#Date:", 6) == 0)) {
				c->st->odd_comments++;
			}
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
		if (x.have_schema && l.n == x.header_len && memcmp(l.p, x.header_text, l.n) == 0) {
			c->st->comments++; /* a header row repeated as data */
			goto next;
		}
		got = gather(c, &l, &rec, &complete);
		r.raw = rec;
		if (!complete) {
			st = xh_emit_bad(c, &r, got == 1   ? "quoted field longer than the limit"
			                        : got == 0 ? "quoted field open at end of file"
			                                   : "read error inside a quoted field", 0, 0);
			if (st || got != 1)
				break;
			goto next;
		}
		if (!x.have_schema) {
			st = xh_emit_bad(c, &r, XH_BAD_NO_FIELDS, 0, 0);
			goto next;
		}
		s->unq.len = 0;
		if (xh_buf_reserve(&s->unq, rec.n)) {
			st = xh_emit_bad(c, &r, "record longer than the limit", 0, 0);
			goto next;
		}
		nf = xh_csv_split(rec.p, rec.n, s->fields, x.schema.n, &s->unq, &open);
		if (nf != x.schema.n) {
			st = xh_emit_bad(c, &r, "field count differs from #Fields", nf, x.schema.n);
			goto next;
		}
		if (x.ntime != SIZE_MAX && s->fields[x.ntime].p) {
			struct xh_sv t = s->fields[x.ntime];
			if (xh_parse_iso(t.p, t.n, &r.time_ms) != t.n) {
				st = xh_emit_bad(c, &r, "invalid timestamp", 0, 0);
				goto next;
			}
		}
		r.schema = &x.schema;
		r.fields = s->fields;
		r.nfields = nf;
		r.software = x.software_v;
		r.version = x.version_v;
		r.log_type = x.log_type_v;
		if (ecp && x.nevent != SIZE_MAX && s->fields[x.nevent].p) {
			struct xh_sv ev = s->fields[x.nevent];
			s->xbuf.len = 0;
			if (xh_buf_reserve(&s->xbuf, ev.n) == XH_OK) {
				r.nx = xh_ecp_split(ev.p, ev.n, s->xnames, s->xvalues, XH_MAX_DERIVED, &s->xbuf);
				r.xnames = s->xnames;
				r.xvalues = s->xvalues;
			}
		}
		st = c->emit(c, &r);
next:
		if (st)
			break;
	}
	xh_free(x.header_text);
	if (st)
		return st;
	return got < 0 ? XH_EIO : XH_OK;
}
