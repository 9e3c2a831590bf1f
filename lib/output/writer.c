/*
 * The calls common to all output formats (the registry is writers.c).
 */
#include "output/writer.h"

void xh_writer_free(struct xh_writer *w)
{
	if (!w)
		return;
	if (w->ops->free_state)
		w->ops->free_state(w);
	xh_buf_free(&w->tmp);
	xh_free(w);
}

xh_status xh_writer_record(const struct xh_writer *w, struct xh_buf *out, const struct xh_record *r)
{
	if (!w->o.records || !w->ops->record)
		return XH_OK;
	return w->ops->record(w, out, r);
}

xh_status xh_writer_begin(struct xh_writer *w)
{
	return w->ops->begin ? w->ops->begin(w) : XH_OK;
}

xh_status xh_writer_finding(struct xh_writer *w, const struct xh_finding *f)
{
	if (!w->o.findings)
		return XH_OK;
	return w->ops->finding(w, f);
}

xh_status xh_writer_build(struct xh_writer *w, const char *host, const char *input, const struct xh_build_info *bi)
{
	return w->ops->build(w, host, input, bi);
}

xh_status xh_writer_finish(struct xh_writer *w, const struct xh_report *r)
{
	return w->ops->finish(w, r);
}

xh_status xh_writer_flush(struct xh_writer *w)
{
	xh_status st = XH_OK;

	if (w->tmp.len)
		st = w->sink(w->ud, w->tmp.p, w->tmp.len);
	w->tmp.len = 0;
	return st;
}
