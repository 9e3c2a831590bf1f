/*
 * The hits of one file (hits.c): what the known-bad list, Microsoft's allow-list, the
 * name and place rules and YARA say about the file the worker holds, and the
 * configuration checks of a .config file.
 */
#ifndef XH_FILES_HITS_H
#define XH_FILES_HITS_H

#include "files/state.h"

/* Gathers the hits of the file in w (placed: w->pl, w->lpath) into w->hits. hs: its
 * digests; size: its real size. *listed is set (and no hit kept) when the file is
 * Microsoft's own page, byte for byte; *gave_up when YARA stopped early. */
XH_HIDDEN xh_status xh_files_gather(struct xh_files_worker *w, const struct xh_hashes *hs, uint64_t size,
                                    bool *listed, bool *gave_up);

/* For a configuration file (*.config): the IIS configuration checks, one finding per item. */
XH_HIDDEN xh_status xh_files_config_hits(struct xh_files_worker *w, xh_files_emit_fn emit, void *ud);

#endif
