/*
 * The reader registry: one row per format, with the reader, its name and help, and the
 * hooks of its per-worker state. Adding a format is a reader file and one row here.
 * Also the per-worker scratch every reader borrows, since freeing it needs the rows.
 */
#include "readers/reader.h"

static const struct xh_reader readers[] = {
	{XH_FMT_W3C, "W3C", "IIS W3C extended log: columns from each #Fields line, one memchr per field",
	 xh_read_w3c, NULL, NULL},
	{XH_FMT_EXCHANGE_CSV, "CSV", "Exchange CSV-family log: #Log-type selects the source, quoted records may span lines",
	 xh_read_exchange_csv, NULL, NULL},
	{XH_FMT_TEXT, "text", "text log: one record per line, time from a leading timestamp",
	 xh_read_text, NULL, NULL},
	{XH_FMT_EVTX, "EVTX", "Windows event log: chunks, records and binary XML decoded by exhunt",
	 xh_read_evtx, xh_read_evtx_state_new, xh_read_evtx_state_free},
};

const struct xh_reader *xh_reader_of(enum xh_format f)
{
	for (size_t i = 0; i < XH_ARRAY_LEN(readers); i++)
		if (readers[i].format == f)
			return &readers[i];
	return NULL;
}

const char *xh_format_name(enum xh_format f)
{
	const struct xh_reader *rd = xh_reader_of(f);
	return rd ? rd->name : "counted";
}

xh_status xh_read(struct xh_read_ctx *c)
{
	const struct xh_reader *rd = xh_reader_of(c->source->format);
	void **state;

	if (!rd)
		return XH_EARG;
	state = &c->scr->state[rd->format];
	if (rd->state_new && !*state && rd->state_new(state))
		return XH_ENOMEM;
	c->state = *state;
	return rd->read(c);
}

/* The buffers get their full size up front: readers then never allocate, so the only
 * error a buffer operation can return while reading is XH_ELIMIT (a real limit of the
 * input), never an out-of-memory mistaken for one. */
xh_status xh_scratch_init(struct xh_scratch *s)
{
	memset(s->fields, 0, sizeof s->fields);
	memset(s->state, 0, sizeof s->state);
	xh_buf_init(&s->unq, XH_MAX_LINE + 1);
	xh_buf_init(&s->join, XH_MAX_LINE + 1);
	xh_buf_init(&s->xbuf, XH_MAX_LINE + 1);
	if (xh_buf_reserve(&s->unq, XH_MAX_LINE + 1) || xh_buf_reserve(&s->join, XH_MAX_LINE + 1) ||
	    xh_buf_reserve(&s->xbuf, XH_MAX_LINE + 1)) {
		xh_scratch_free(s);
		return XH_ENOMEM;
	}
	return XH_OK;
}

void xh_scratch_free(struct xh_scratch *s)
{
	for (size_t i = 0; i < XH_ARRAY_LEN(readers); i++) {
		void **state = &s->state[readers[i].format];
		if (*state && readers[i].state_free)
			readers[i].state_free(*state);
		*state = NULL;
	}
	xh_buf_free(&s->unq);
	xh_buf_free(&s->join);
	xh_buf_free(&s->xbuf);
}
