/*
 * Rejecting a rule with its reason (reject.h): every compiler step (logsource, values,
 * modifiers, condition, rule) says why in the same words and returns false.
 */
#include "detect/reject.h"

#include <stdio.h>

bool xh_reject(struct xh_reject *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return false;
}
