/*
 * The writer registry: every format of XH_WRITERS (writer.h), its name and help, and
 * making a writer by name.
 */
#include "output/writer.h"

#define XH_WRITER_ENTRY(name) &xh_writer_##name,
static const struct xh_writer_ops *const writers[] = {XH_WRITERS(XH_WRITER_ENTRY)};
#undef XH_WRITER_ENTRY

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
		xh_buf_init(&w->tmp, XH_MAX_WRITER_TMP);
		*out = w;
		return XH_OK;
	}
	return XH_ENOTFOUND;
}

