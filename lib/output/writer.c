/*
 * The writer registry and the calls common to all output formats.
 */
#include "output/writer.h"

static const struct xh_writer_ops *const writers[] = {&xh_writer_text, &xh_writer_jsonl,
                                                      &xh_writer_csv};

size_t xh_writer_format_count(void)
{
	return XH_ARRAY_LEN(writers);
}

const char *xh_writer_format_name(size_t i)
{
	return i < XH_ARRAY_LEN(writers) ? writers[i]->name : NULL;
}

const char *xh_writer_format_help(size_t i)
{
	return i < XH_ARRAY_LEN(writers) ? writers[i]->help : NULL;
}

xh_status xh_writer_new(const char *format, const struct xh_writer_opts *o, xh_sink_fn sink, void *ud,
                        struct xh_writer **out)
{
	struct xh_writer *w;

	*out = NULL;
	for (size_t i = 0; i < XH_ARRAY_LEN(writers); i++) {
		if (strcmp(writers[i]->name, format) != 0)
			continue;
		w = xh_calloc(1, sizeof *w);
		if (!w)
			return XH_ENOMEM;
		w->ops = writers[i];
		w->o = *o;
		w->sink = sink;
		w->ud = ud;
		xh_buf_init(&w->tmp, (size_t)64 << 20);
		*out = w;
		return XH_OK;
	}
	return XH_ENOTFOUND;
}

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

xh_status xh_writer_build(struct xh_writer *w, const char *input, const struct xh_build_info *bi)
{
	return w->ops->build(w, input, bi);
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
