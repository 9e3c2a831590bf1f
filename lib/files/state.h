/*
 * The state the file checks share, as types only (no functions here): the xh_files
 * object (rules and lists, read-only once prepared), one scan's places, and one worker's
 * tap and the file being judged, with the hits gathered for it and the buffers of the
 * finding made from them. files.c fills the object; tap.c owns scans and workers; hits.c
 * adds hits; file_finding.c turns them into findings.
 */
#ifndef XH_FILES_STATE_H
#define XH_FILES_STATE_H

#include "files/allowlist.h"
#include "files/hashes.h"
#include "files/file.h"
#include "files/webroot.h"
#include "files/yara_rules.h"

struct xh_files {
	struct xh_yara *yara;
	struct xh_badlist bad;
	struct xh_allow allow;
	uint64_t max_scan;
	bool prepared;
};

struct xh_files_scan {
	const struct xh_files *fc;
	struct xh_webroots roots;
};

/* The sources of a hit, strongest first when levels are equal. */
enum xh_files_hit_kind { XH_FILES_HIT_HASH = 0, XH_FILES_HIT_YARA, XH_FILES_HIT_ALLOW, XH_FILES_HIT_NAME };

struct xh_files_hit {
	enum xh_files_hit_kind kind;
	size_t order;             /* within its kind */
	enum xh_level level;
	const char *rule_id, *rule_name, *title, *family, *tags;
	int64_t offset;           /* of the evidence the hit quotes, -1 when none */
	char idbuf[XH_FILES_HIT_ID];
	char titlebuf[XH_FILES_HIT_TITLE];
	char familybuf[XH_FILES_HIT_FAMILY];
};

struct xh_files_worker {
	const struct xh_files_scan *s;
	const struct xh_files *fc;
	struct xh_yscan *ys;
	struct xh_digest dg;
	unsigned char *buf;
	size_t cap, len;
	uint64_t total;
	bool hashing, too_big;
	struct xh_files_file f;
	struct xh_place pl;
	char lpath[XH_MAX_PATH];  /* origin (or path) in lower case with '/' */
	struct xh_yara_hit yh[XH_FILES_MAX_HITS];
	struct xh_files_hit hits[XH_FILES_MAX_HITS];
	size_t nhits;
	/* the finding being built */
	const char *tagv[XH_FILES_MAX_TAGS];
	char tagbuf[XH_FILES_MAX_TAGS][XH_FILES_TAG_LEN];
	struct xh_kv kv[XH_FILES_MAX_FIELDS];
	char also[XH_FILES_ALSO], size[32], sha[80], md5[40], sha1[48], scanned[96], note[XH_FILES_NOTE];
};

#endif
