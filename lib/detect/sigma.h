/*
 * The Sigma engine as the unit tests and fuzz targets see it: compiled rules (rule.h),
 * rule sets (rules.h), evaluation (match.h), Windows logsources (winlog.h). The
 * library's own files include the header they need, never this one.
 */
#ifndef XH_SIGMA_H
#define XH_SIGMA_H

#include "model/fields.h"
#include "detect/match.h"
#include "detect/rule.h"
#include "detect/rules.h"
#include "detect/winlog.h"

#endif
