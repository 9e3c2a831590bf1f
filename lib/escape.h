/*
 * Output escaping of evidence-derived bytes (see escape.c for the rules per format).
 */
#ifndef XH_ESCAPE_H
#define XH_ESCAPE_H

#include "internal.h"

/* Appends s[0..n) made safe for a terminal or plain text file (no quotes added). */
XH_HIDDEN xh_status xh_esc_text(struct xh_buf *b, const char *s, size_t n);
/* Appends s[0..n) as a quoted JSON string; the result is valid UTF-8 JSON. */
XH_HIDDEN xh_status xh_esc_json(struct xh_buf *b, const char *s, size_t n);
XH_HIDDEN xh_status xh_esc_json_str(struct xh_buf *b, const char *s);
/* Appends s[0..n) as one quoted CSV cell that cannot start a formula. */
XH_HIDDEN xh_status xh_esc_csv(struct xh_buf *b, const char *s, size_t n);

#endif
