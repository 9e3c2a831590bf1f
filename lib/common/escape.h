/*
 * Output escaping of evidence-derived bytes (see escape.c for the rules per format).
 */
#ifndef XH_ESCAPE_H
#define XH_ESCAPE_H

#include "common/base.h"

/* Appends s[0..n) made safe for a terminal or plain text file (no quotes added). */
XH_HIDDEN xh_status xh_esc_text(struct xh_buf *b, const char *s, size_t n);
/* Appends s[0..n) as a quoted JSON string; the result is valid UTF-8 JSON. */
XH_HIDDEN xh_status xh_esc_json(struct xh_buf *b, const char *s, size_t n);
XH_HIDDEN xh_status xh_esc_json_str(struct xh_buf *b, const char *s);
/* ,"k": (a member key after the object's first member) */
XH_HIDDEN xh_status xh_json_key(struct xh_buf *b, const char *k);
/* ,"k":"v" with v escaped, or ,"k":null for NULL */
XH_HIDDEN xh_status xh_json_kv_str(struct xh_buf *b, const char *k, const char *v);
/* Appends s[0..n) as one quoted CSV cell that cannot start a formula. */
XH_HIDDEN xh_status xh_esc_csv(struct xh_buf *b, const char *s, size_t n);

#endif
