/*
 * Field names of rules resolved against records (fields.c): what a rule's field name
 * reads from a record, decided once when the rule is compiled. Sigma's web-server names
 * map to IIS W3C columns, `cs-uri-query` is the request as sent (stem '?' query), a
 * `.decoded` suffix asks for the value URL-decoded, a Windows log may name a field
 * differently (renames), and Windows unnamed `Data` means any of the event's Data values.
 */
#ifndef XH_FIELDS_H
#define XH_FIELDS_H

#include "common/base.h"

/* How the logsource of a rule names fields. */
enum xh_field_names {
	XH_NAMES_PLAIN,      /* the record's own column and field names */
	XH_NAMES_WEBSERVER,  /* Sigma's web-server names over IIS W3C columns */
	XH_NAMES_WINDOWS,    /* Windows event fields, with the logsource's renames */
};

/* A field a log writes under another name than Sigma's (thor.yml fieldmappings). */
struct xh_rename {
	const char *from, *to;
};

/* A field name resolved once: which record column (or the composed URI) to read. */
struct xh_fref {
	const char *look;      /* column name to look up (the rule's, a W3C name, a rename, or own) */
	char *own;             /* owned copy when the name had a ".decoded" suffix */
	bool uri;              /* webserver cs-uri-query: stem '?' query */
	bool decoded;          /* URL-decode the value */
	bool any;              /* Windows unnamed Data: holds if any of the record's Data values does */
};

/* Resolves `name` (kept by the caller as long as *out is used: look may point into it)
 * for a logsource naming fields as `names`; renames ({NULL, NULL}-terminated, NULL for
 * none) apply to Windows names. Free with xh_fref_free. */
XH_HIDDEN void xh_field_resolve(const char *name, enum xh_field_names names, const struct xh_rename *renames,
                                struct xh_fref *out);
XH_HIDDEN void xh_fref_free(struct xh_fref *f);
/* The name a log writes for Sigma field `field` under these renames (field itself if none). */
XH_HIDDEN const char *xh_field_rename(const struct xh_rename *renames, const char *field);

#endif
