/*
 * Output writers: one ops table per format (write_text.c, write_jsonl.c, write_csv.c),
 * listed once in XH_WRITERS below and registered in writers.c; writer.c has the calls
 * common to all. record() runs on worker threads and only formats into the caller's
 * buffer (the scan driver keeps per-file order); finding() and finish() run on the
 * caller's thread and write through the sink.
 */
#ifndef XH_WRITER_H
#define XH_WRITER_H

#include "common/escape.h"

struct xh_writer;

struct xh_writer_ops {
	const char *name;
	const char *help;
	xh_status (*begin)(struct xh_writer *w); /* before any other output, may be NULL */
	xh_status (*record)(const struct xh_writer *w, struct xh_buf *out, const struct xh_record *r);
	xh_status (*finding)(struct xh_writer *w, const struct xh_finding *f);
	xh_status (*finish)(struct xh_writer *w, const struct xh_report *r);
	/* one assessed build (exhunt build); input is the text as given (untrusted) */
	xh_status (*build)(struct xh_writer *w, const char *host, const char *input, const struct xh_build_info *bi);
	void (*free_state)(struct xh_writer *w);
};

struct xh_writer {
	const struct xh_writer_ops *ops;
	struct xh_writer_opts o;
	xh_sink_fn sink;
	void *ud;
	struct xh_buf tmp;  /* formatting buffer for main-thread output */
	void *state;        /* writer-private */
};

XH_HIDDEN xh_status xh_writer_record(const struct xh_writer *w, struct xh_buf *out,
                                     const struct xh_record *r);
/* Sends w->tmp to the sink and empties it. */
XH_HIDDEN xh_status xh_writer_flush(struct xh_writer *w);

/* Every writer, in the order `exhunt formats` and --help list them: X(name) stands for
 * the ops table xh_writer_<name> of write_<name>.c. Adding a format is that file and one
 * entry here. */
#define XH_WRITERS(X) X(text) X(jsonl) X(csv)

#define XH_WRITER_DECLARE(name) extern XH_HIDDEN const struct xh_writer_ops xh_writer_##name;
XH_WRITERS(XH_WRITER_DECLARE)
#undef XH_WRITER_DECLARE

/* ---- report helpers shared by the writers (report.c) -------------------------------- */

/* One statement of what the evidence covers, for every writer to render. */
struct xh_notice {
	const char *topic;   /* "ProxyLogon", "web logs", "evtx", ... */
	char text[800];
};
/* Fills up to max notices about coverage (campaign windows, unread kinds); returns count. */
XH_HIDDEN size_t xh_report_notices(const struct xh_report *r, struct xh_notice *out, size_t max);

#endif
