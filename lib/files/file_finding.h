/*
 * Findings of the file checks (file_finding.c): the one finding a file's hits make, and
 * one finding per item of a configuration file.
 */
#ifndef XH_FILES_FILE_FINDING_H
#define XH_FILES_FILE_FINDING_H

#include "files/appconfig.h"
#include "files/state.h"

/* Emits the finding of the hits in w (w->nhits > 0). size: the file's real size; cut: only
 * its first w->len bytes were scanned; gave_up: YARA stopped early. */
XH_HIDDEN xh_status xh_files_emit_file(struct xh_files_worker *w, uint64_t size, bool cut, bool gave_up,
                                       xh_files_emit_fn emit, void *ud);

/* Where the findings of a configuration file's items go (the ud of xh_files_config_finding). */
struct xh_files_config_emit {
	struct xh_files_worker *w;
	xh_files_emit_fn emit;
	void *ud;
};

/* An xh_cfg_hit_fn: emits one configuration item of the file in w as a finding. */
XH_HIDDEN xh_status xh_files_config_finding(void *ud, const struct xh_cfg_hit *h);

#endif
