/*
 * Sigma logsources (logsource.c): which sources a rule runs on, read from the source
 * registry's rows, or for Windows rules which events (winlog.c).
 */
#ifndef XH_LOGSOURCE_H
#define XH_LOGSOURCE_H

#include "detect/reject.h"
#include "detect/rule.h"
#include "detect/yaml_tree.h"

/* Sets r's sources, webserver names and listing text for the rule's `logsource` map ls;
 * for Windows logsources also the events of variant `variant` (a category can name
 * several), with their count in *nvariants. */
XH_HIDDEN bool xh_logsource_apply(const struct xh_ynode *ls, struct xh_rule *r, size_t variant, size_t *nvariants,
                                  struct xh_reject *e);

#endif
