/*
 * EVTX decoding (Windows XML event log files): the file header, 64 KiB chunks with
 * their checksums, and the binary XML of each record, expanded through its template and
 * flattened into named fields the rules read. The decoder never trusts an offset or a
 * size from the file: every one is checked against the chunk it points into, so a
 * damaged chunk costs its own records, never the rest of the file.
 *
 * Flattening (the names rules use, as Hayabusa and SigmaHQ's regression suite do):
 *   System/<X> text        -> X              (EventID, Channel, Computer, Level, ...)
 *   System/<X> attribute A -> X_A            (Provider_Name, TimeCreated_SystemTime, ...)
 *   EventData/Data Name=N  -> N
 *   EventData/Data         -> Data (multi-valued) and Data[1], Data[2], ... by position
 *   EventData/<X>          -> X              (Binary, ...)
 *   UserData/.../<leaf>    -> leaf element name
 *   RenderingInfo/<X>      -> RenderingInfo_X (Message as Message)
 * plus the aliases TimeCreated (= TimeCreated_SystemTime) and UserID (= Security_UserID).
 */
#ifndef XH_EVTX_H
#define XH_EVTX_H

#include "common/base.h"

#define XH_EVTX_FILE_HEADER 4096u
#define XH_EVTX_CHUNK 65536u
#define XH_EVTX_CHUNK_HEADER 512u

struct xh_evtx_field {
	struct xh_sv name, value;
};

/* One decoded record. Views point into the decoder; valid until its next call. */
struct xh_evtx_event {
	uint64_t record_id;       /* from the record header */
	int64_t written_ms;       /* record header time, UTC ms */
	int64_t time_ms;          /* System/TimeCreated when present, else written_ms */
	uint32_t chunk_offset;    /* of the record inside its chunk */
	long event_id;            /* System/EventID, -1 when absent */
	struct xh_sv channel, provider, computer;
	struct xh_evtx_field *f;  /* fields, then the second names (aliases) of some of them */
	size_t nf, nalias;        /* all of them; the last nalias are second names */
	struct xh_sv raw;         /* "Name=value; ..." over the fields, not the second names */
};

struct xh_evtx_file_info {
	uint64_t first_chunk, last_chunk, next_record;
	uint16_t major, minor, chunks;
	uint32_t flags;
	bool crc_ok;              /* header checksum matches */
	bool dirty, full;         /* flags 1 and 2 */
};

/* 0 when p[0..n) holds a valid file header (magic and sizes), else a static reason. */
XH_HIDDEN const char *xh_evtx_file_header(const unsigned char *p, size_t n, struct xh_evtx_file_info *fi);

enum xh_chunk_state {
	XH_CHUNK_OK,
	XH_CHUNK_EMPTY,           /* all zero: never written (not an error) */
	XH_CHUNK_BAD_MAGIC,       /* not a chunk: skipped and counted */
};

struct xh_evtx_chunk_info {
	enum xh_chunk_state state;
	uint64_t first_record, last_record;
	uint32_t free_offset;     /* end of the records, clamped to the chunk */
	bool header_crc_ok, data_crc_ok;
};

XH_HIDDEN void xh_evtx_chunk_info(const unsigned char *chunk, size_t n, struct xh_evtx_chunk_info *ci);

/* A decoder: buffers for one record's text and a per-chunk name cache. One per thread. */
struct xh_evtx_dec;
XH_HIDDEN xh_status xh_evtx_dec_new(struct xh_evtx_dec **out);
XH_HIDDEN void xh_evtx_dec_free(struct xh_evtx_dec *d);

/* Called per record of a chunk: ev for a good record, or why (static text) for a bad
 * one, at chunk offset off. A non-zero return stops the walk and is returned. */
struct xh_evtx_sink {
	xh_status (*record)(void *ud, const struct xh_evtx_event *ev);
	xh_status (*bad)(void *ud, uint32_t off, uint64_t record_id, const char *why);
	void *ud;
};

/* Decodes every record of one chunk (chunk[0..n), n <= XH_EVTX_CHUNK; the records end
 * at ci->free_offset). Stops at the first record whose header is broken (the rest of the
 * chunk cannot be framed); a record whose XML is bad is reported and skipped. */
XH_HIDDEN xh_status xh_evtx_chunk_records(struct xh_evtx_dec *d, const unsigned char *chunk, size_t n,
                                          const struct xh_evtx_chunk_info *ci, const struct xh_evtx_sink *sink);

/* CRC-32 (IEEE, as EVTX checksums use), slicing by 8. */
XH_HIDDEN uint32_t xh_crc32(uint32_t crc, const unsigned char *p, size_t n);

#endif
