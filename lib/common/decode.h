/*
 * Decoders of the escapes evidence uses: hex digits, hex strings (hash lists) and URL
 * percent-escapes (query strings, Velociraptor's %3A-encoded upload paths).
 */
#ifndef XH_DECODE_H
#define XH_DECODE_H

#include "common/base.h"

/* The value of one hex digit (0-9, a-f, A-F), or -1. */
XH_HIDDEN int xh_hexval(unsigned char c);
/* Decodes exactly 2n hex digits s[0..slen) into out[0..n); false on any other length or
 * on a non-hex character (out is then unspecified). */
XH_HIDDEN bool xh_unhex(const char *s, size_t slen, unsigned char *out, size_t n);
/* Appends s[0..n) to out with each %XX undone, once (double encoding stays visible as
 * %XX) and, when plus_is_space, '+' as ' ' (form and query encoding). A malformed escape
 * stays as it is. false when out reached its limit. */
XH_HIDDEN bool xh_pct_decode(struct xh_buf *out, const char *s, size_t n, bool plus_is_space);

#endif
