/*
 * IP address literals (ip.h): "198.51.100.21", "2001:db8::1". inet_pton does the
 * parsing; this bounds the copy it needs and picks the family by the text's shape.
 */
#include "common/ip.h"

#include <arpa/inet.h>

bool xh_ip_parse(const char *s, size_t n, unsigned char out[16], bool *v6)
{
	char tmp[64]; /* the longest IPv6 text (with an IPv4 tail) is 45 bytes */

	memset(out, 0, 16);
	*v6 = false;
	if (n == 0 || n >= sizeof tmp)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*v6 = memchr(tmp, ':', n) != NULL;
	return inet_pton(*v6 ? AF_INET6 : AF_INET, tmp, out) == 1;
}
