/*
 * Hex and percent decoding (decode.h). Example inputs: "9f86d081884c7d65..." (a SHA-256
 * in a hash list), "/owa/auth/x.aspx?cmd=whoami%20%2Fall" (a query string),
 * "uploads/auto/C%3A/inetpub/logs" (a Velociraptor upload path).
 */
#include "common/decode.h"

int xh_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool xh_unhex(const char *s, size_t slen, unsigned char *out, size_t n)
{
	if (slen != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = xh_hexval((unsigned char)s[2 * i]), lo = xh_hexval((unsigned char)s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char)(hi * 16 + lo);
	}
	return true;
}

bool xh_pct_decode(struct xh_buf *out, const char *s, size_t n, bool plus_is_space)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int h, l;
		if (c == '%' && i + 2 < n && (h = xh_hexval((unsigned char)s[i + 1])) >= 0 &&
		    (l = xh_hexval((unsigned char)s[i + 2])) >= 0) {
			c = (unsigned char)(h * 16 + l);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (xh_buf_addc(out, (char)c))
			return false;
	}
	return true;
}
