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

/* The Windows logsources' former names, for tests/unit/test_evtx.c until it says
 * xh_winsource (it lies outside this change). */
#define xh_winsel xh_winsource
#define xh_winsel_find xh_winsource_find
#define xh_winsel_match xh_winsource_match
#define xh_winsel_rename xh_winsource_rename
#define XH_MAX_WINSEL_VARIANTS XH_MAX_WINSOURCE_VARIANTS

#endif
