/*
 * Escaping of evidence-derived text for every output. Evidence is attacker-controlled:
 * a user agent can carry ESC sequences that rewrite a responder's terminal, a CSV cell
 * can start a spreadsheet formula, a bidi override can disguise a file name. So no
 * control byte (C0, DEL, C1), bidi control or invalid UTF-8 byte is ever written raw:
 *   text: \xNN for bytes, \u{XXXX} for code points (backslashes are kept as they are,
 *         Windows paths stay readable)
 *   JSON: standard escapes, \uXXXX for code points; an invalid byte becomes the
 *         six characters \\xNN so the output stays valid UTF-8
 *   CSV:  always quoted, quotes doubled, text escaping inside, and a leading ' before
 *         = + - @ so no cell is a formula
 */
#include "common/escape.h"

/* Length of the valid UTF-8 sequence at p (1..4) and its code point, 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
		c = p[0] & 0x1Fu;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		c = p[0] & 0x0Fu;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		c = p[0] & 0x07u;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3Fu);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Code points that must not reach a terminal or a viewer as they are. */
static bool unsafe_cp(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x200E || c == 0x200F ||
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 ||
	       c == 0x2029 || c == 0xFEFF;
}

static const char hexd[] = "0123456789abcdef";

static xh_status add_hexbyte(struct xh_buf *b, const char *pre, unsigned char c)
{
	char t[2] = {hexd[c >> 4], hexd[c & 15]};
	xh_status st = xh_buf_adds(b, pre);
	return st ? st : xh_buf_add(b, t, 2);
}

xh_status xh_esc_text(struct xh_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	xh_status st = XH_OK;

	while (i < n) {
		uint32_t cp;
		size_t len;

		/* fast path: printable ASCII runs are copied in one go */
		if (p[i] >= 0x20 && p[i] < 0x7F) {
			run = i;
			while (i < n && p[i] >= 0x20 && p[i] < 0x7F)
				i++;
			st = xh_buf_add(b, s + run, i - run);
			if (st)
				return st;
			continue;
		}
		len = utf8_seq(p + i, n - i, &cp);
		if (len == 0 || (len == 1 && unsafe_cp(cp))) {
			st = add_hexbyte(b, "\\x", p[i]);
			i++;
		} else if (unsafe_cp(cp)) {
			st = xh_buf_printf(b, "\\u{%04x}", (unsigned)cp);
			i += len;
		} else {
			st = xh_buf_add(b, s + i, len);
			i += len;
		}
		if (st)
			return st;
	}
	return XH_OK;
}

xh_status xh_esc_json(struct xh_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	xh_status st = xh_buf_addc(b, '"');

	while (!st && i < n) {
		uint32_t cp;
		size_t len, run = i;

		while (i < n && p[i] >= 0x20 && p[i] < 0x7F && p[i] != '"' && p[i] != '\\')
			i++;
		if (i > run) {
			st = xh_buf_add(b, s + run, i - run);
			continue;
		}
		switch (p[i]) {
		case '"': st = xh_buf_add(b, "\\\"", 2); i++; continue;
		case '\\': st = xh_buf_add(b, "\\\\", 2); i++; continue;
		case '\n': st = xh_buf_add(b, "\\n", 2); i++; continue;
		case '\r': st = xh_buf_add(b, "\\r", 2); i++; continue;
		case '\t': st = xh_buf_add(b, "\\t", 2); i++; continue;
		default: break;
		}
		len = utf8_seq(p + i, n - i, &cp);
		if (len == 0) {
			st = add_hexbyte(b, "\\\\x", p[i]);
			i++;
		} else if (unsafe_cp(cp)) {
			st = xh_buf_printf(b, "\\u%04x", (unsigned)cp);
			i += len;
		} else {
			st = xh_buf_add(b, s + i, len);
			i += len;
		}
	}
	return st ? st : xh_buf_addc(b, '"');
}

xh_status xh_esc_json_str(struct xh_buf *b, const char *s)
{
	return xh_esc_json(b, s, strlen(s));
}

xh_status xh_esc_csv(struct xh_buf *b, const char *s, size_t n)
{
	struct xh_buf tmp;
	xh_status st;
	size_t start;

	st = xh_buf_addc(b, '"');
	if (st)
		return st;
	if (n && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
	          s[0] == '\r'))
		st = xh_buf_addc(b, '\'');
	start = b->len;
	if (!st)
		st = xh_esc_text(b, s, n);
	if (st)
		return st;
	/* double the quotes written by the text escaping (it keeps '"' as is) */
	xh_buf_init(&tmp, b->max);
	for (size_t i = start; i < b->len && !st; i++) {
		st = xh_buf_addc(&tmp, b->p[i]);
		if (!st && b->p[i] == '"')
			st = xh_buf_addc(&tmp, '"');
	}
	if (!st) {
		b->len = start;
		st = xh_buf_add(b, tmp.p, tmp.len);
	}
	xh_buf_free(&tmp);
	return st ? st : xh_buf_addc(b, '"');
}

xh_status xh_json_key(struct xh_buf *b, const char *k)
{
	xh_status st = xh_buf_addc(b, ',');
	if (!st)
		st = xh_esc_json_str(b, k);
	return st ? st : xh_buf_addc(b, ':');
}

xh_status xh_json_kv_str(struct xh_buf *b, const char *k, const char *v)
{
	xh_status st = xh_json_key(b, k);
	if (st)
		return st;
	return v ? xh_esc_json_str(b, v) : xh_buf_adds(b, "null");
}
