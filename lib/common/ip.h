/*
 * IP address literals (Sigma |cidr values and record fields, probe targets).
 */
#ifndef XH_IP_H
#define XH_IP_H

#include "common/base.h"

/* Parses an IPv4 or IPv6 literal of exactly n bytes into out (network order, the rest
 * zeroed; IPv4 in the first 4 bytes) and sets *v6. false when it is not an address. */
XH_HIDDEN bool xh_ip_parse(const char *s, size_t n, unsigned char out[16], bool *v6);

#endif
