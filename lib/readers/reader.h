/*
 * The reader interface: a reader pulls lines from an xh_in, builds xh_record views and
 * hands each to ctx->emit (window filter, rule hook, writer). Readers keep per-file
 * statistics for coverage and use only the per-worker scratch below (and their own
 * per-worker state, made by their registry row), so memory is bounded by
 * XH_MAX_LINE-sized buffers whatever the input size. reader.c has what all readers
 * share; readers.c is the registry (format -> reader).
 */
#ifndef XH_READER_H
#define XH_READER_H

#include "evidence/input.h"

#include <stdatomic.h>

struct xh_fstats {
	uint64_t bytes, records, bad, comments, odd_comments, outside_window;
	int64_t first_ms, last_ms;
	size_t nreasons;
	struct xh_reason reasons[XH_COVER_REASONS];
};

struct xh_read_ctx;

/* A reader of the registry (readers.c): one row per format. */
struct xh_reader {
	enum xh_format format;
	const char *name;            /* "W3C": how `exhunt formats` names the format */
	const char *help;            /* one line: what the reader reads and how */
	xh_status (*read)(struct xh_read_ctx *c);
	/* Per-worker state of this reader, made on first use and kept for the worker's
	 * next files (NULL: the reader needs none); *out NULL on failure. */
	xh_status (*state_new)(void **out);
	void (*state_free)(void *state);
};

/* Reusable buffers owned by one worker thread. */
struct xh_scratch {
	struct xh_sv fields[XH_MAX_FIELDS];
	const char *names[XH_MAX_FIELDS];
	char names_store[XH_MAX_FIELDS * (XH_MAX_FIELD_NAME + 1)];
	struct xh_sv xnames[XH_MAX_DERIVED], xvalues[XH_MAX_DERIVED];
	struct xh_buf unq;   /* CSV fields with doubled quotes undone */
	struct xh_buf join;  /* CSV records spanning lines */
	struct xh_buf xbuf;  /* derived field values (ECP quotes undone) */
	void *state[XH_FMT_COUNT]; /* each reader's own state (struct xh_reader.state_new) */
};

XH_HIDDEN xh_status xh_scratch_init(struct xh_scratch *s);
XH_HIDDEN void xh_scratch_free(struct xh_scratch *s);

struct xh_read_ctx {
	struct xh_in *in;
	void *state;                 /* the reader's own per-worker state, or NULL */
	const struct xh_source *source;
	const char *path;
	const char *origin;
	struct xh_fstats *st;
	struct xh_scratch *scr;
	xh_status (*emit)(struct xh_read_ctx *c, const struct xh_record *r);
	void *ud;
	/* Helper threads a reader may take for itself (EVTX chunk decoding): a budget shared
	 * by the scan's workers; NULL or 0: none. */
	atomic_int *spare;
	uint64_t size_hint;          /* the file's size when known (0: unknown) */
};

/* The registry row of a format, or NULL when no reader reads it. */
XH_HIDDEN const struct xh_reader *xh_reader_of(enum xh_format f);
/* Runs the reader for c->source->format to the end of input (making its per-worker
 * state in c->scr first if it has none yet). Returns XH_OK when the
 * input was read to its end (bad records included), XH_EIO on a read error after which
 * nothing more could be read, or what emit returned. */
XH_HIDDEN xh_status xh_read(struct xh_read_ctx *c);

/* Counts a bad record, keeps its reason if among the first, and emits it. For field
 * count mismatches pass got/want (shown in the kept reason), else 0/0. */
XH_HIDDEN xh_status xh_emit_bad(struct xh_read_ctx *c, struct xh_record *r, const char *why, size_t got,
                                size_t want);
/* Zeroes r and sets what every record of the file shares (source, paths, no time). */
XH_HIDDEN void xh_record_init(const struct xh_read_ctx *c, struct xh_record *r);
/* Reads the next line (a UTF-8 BOM on line 1 dropped) and positions r on it, as
 * xh_in_line returns. A line with l->cut set must be reported with XH_BAD_CUT. */
XH_HIDDEN int xh_reader_line(struct xh_read_ctx *c, struct xh_line *l, struct xh_record *r);
#define XH_BAD_CUT "line longer than the limit (cut)"
#define XH_BAD_NO_FIELDS "no usable #Fields header before this line"

/* A fresh xh_schema.id (process-wide, thread-safe). */
XH_HIDDEN uint64_t xh_schema_next_id(void);

/* Copies the value of a "#Name: value" directive (trimmed, cut at XH_MAX_DIRECTIVE)
 * into buf, which the reader keeps, and returns a view of it. */
XH_HIDDEN struct xh_sv xh_keep_directive(const char *p, size_t n, size_t skip, char *buf);

/* The readers (one file each) and their registry rows. */
XH_HIDDEN xh_status xh_read_w3c(struct xh_read_ctx *c);
XH_HIDDEN xh_status xh_read_exchange_csv(struct xh_read_ctx *c);
XH_HIDDEN xh_status xh_read_text(struct xh_read_ctx *c);
XH_HIDDEN xh_status xh_read_evtx(struct xh_read_ctx *c);
XH_HIDDEN xh_status xh_read_evtx_state_new(void **out);
XH_HIDDEN void xh_read_evtx_state_free(void *state);

/* Parsers exposed for tests and fuzzing. */
/* Splits a W3C data line on single spaces into at most max views; "-" becomes null.
 * Returns the field count (max + 1 when there are more fields than max). */
XH_HIDDEN size_t xh_w3c_split(const char *p, size_t n, struct xh_sv *out, size_t max);
/* Parses one CSV record p[0..n) into at most max fields, undoing quotes into unq
 * (reserved by the caller to >= n bytes). Returns the field count, max + 1 on too many.
 * *open is set when the record ends inside a quoted field. */
XH_HIDDEN size_t xh_csv_split(const char *p, size_t n, struct xh_sv *out, size_t max,
                              struct xh_buf *unq, bool *open);
/* Splits ECP EventData ("S:KEY=value;...", single-quoted parts with '' doubling) into
 * names and values; values needing unquoting go to buf (reserved to >= n). */
XH_HIDDEN size_t xh_ecp_split(const char *p, size_t n, struct xh_sv *names, struct xh_sv *values,
                              size_t max, struct xh_buf *buf);

#endif
