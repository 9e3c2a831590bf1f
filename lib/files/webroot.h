/*
 * Where a file sits on the server: Exchange install roots found by structure (a folder
 * holding FrontEnd\HttpProxy, or ClientAccess and Logging), IIS web roots, aspnet_client,
 * Temporary ASP.NET Files, ProgramData, Windows\Temp, C:\root, Users\Public
 * (indicators.md 1.1 and 1.10). Paths are judged on the server path the collection
 * layout shows (origin) when there is one, else on the evidence path.
 */
#ifndef XH_WEBROOT_H
#define XH_WEBROOT_H

#include "common/base.h"

enum {
	XH_PL_EXCHANGE = 1u << 0,        /* below an Exchange install root */
	XH_PL_EX_FRONTEND = 1u << 1,     /* <root>\FrontEnd\HttpProxy\... */
	XH_PL_EX_CLIENTACCESS = 1u << 2, /* <root>\ClientAccess\... */
	XH_PL_EX_AUTH = 1u << 3,         /* FrontEnd\HttpProxy\owa\auth or ecp\auth, at any depth */
	XH_PL_ASPNET_CLIENT = 1u << 4,   /* an aspnet_client folder, at any depth */
	XH_PL_WWWROOT = 1u << 5,         /* inetpub\wwwroot\... */
	XH_PL_WWWROOT_TOP = 1u << 6,     /* directly in inetpub\wwwroot */
	XH_PL_TEMP_ASPNET = 1u << 7,     /* Temporary ASP.NET Files */
	XH_PL_PROGRAMDATA = 1u << 8,     /* C:\ProgramData (also Users\All Users) */
	XH_PL_WINDOWS_TEMP = 1u << 9,    /* C:\Windows\Temp */
	XH_PL_C_ROOT = 1u << 10,         /* C:\root */
	XH_PL_USERS_PUBLIC = 1u << 11,   /* C:\Users\Public */
	XH_PL_USERS = 1u << 12,          /* C:\Users\<someone> */
	XH_PL_INETSRV_CONFIG = 1u << 13, /* C:\Windows\System32\inetsrv\config */
	XH_PL_EX_OAB = 1u << 14,         /* FrontEnd\HttpProxy\OAB */
	XH_PL_COUNT = 15,
	/* folders IIS serves: script pages there run */
	XH_PL_WEB = XH_PL_EX_FRONTEND | XH_PL_EX_CLIENTACCESS | XH_PL_ASPNET_CLIENT | XH_PL_WWWROOT,
};

struct xh_place {
	unsigned flags;
	const char *name;            /* the file name (points into the path given) */
	char rel[XH_MAX_PATH];       /* XH_PL_EXCHANGE: path below the install root, lower case,
	                                '/' ("frontend/httpproxy/owa/auth/logon.aspx"); else "" */
	size_t rel_folder;           /* length of rel's folder part */
	char sub[XH_FILES_PLACE_SUB];     /* drive-level places: path below ProgramData, Windows\Temp,
	                                     C:\root or Users\Public, lower case, '/'; else "" */
	char where[XH_FILES_PLACE_WHERE]; /* the place in words: "Exchange front end (FrontEnd\HttpProxy\owa\auth)" */
	unsigned char anchor[XH_PL_COUNT]; /* per place: components of its own folder
	                                      (C:\inetpub\wwwroot = 2), 0 when not there */
};

struct xh_webroots {
	size_t n;
	struct xh_iroot {
		char *key;               /* lower case, '/'-joined components of the root */
		char *show;              /* as the evidence shows it */
		unsigned marks;          /* 1 FrontEnd\HttpProxy, 2 ClientAccess, 4 Logging */
	} r[XH_FILES_MAX_ROOTS];
	bool more;                   /* roots beyond XH_FILES_MAX_ROOTS (their files are judged by
	                                their own path: FrontEnd\HttpProxy still counts) */
	uint64_t seen[XH_PL_COUNT];  /* files per place */
	char *seen_show[XH_PL_COUNT];/* the first folder of each place */
};

/* Finds the install roots among n entries (path and origin of each from at()), then
 * counts the files per place. */
XH_HIDDEN xh_status xh_webroots_build(struct xh_webroots *w, size_t n,
                                      void (*at)(void *ud, size_t i, const char **path, const char **origin),
                                      void *ud);
XH_HIDDEN void xh_webroots_free(struct xh_webroots *w);
/* Places of one file. */
XH_HIDDEN void xh_place_of(const struct xh_webroots *w, const char *path, const char *origin, struct xh_place *pl);
/* One line for the report: the places the evidence holds and those it lacks. */
XH_HIDDEN void xh_webroots_describe(const struct xh_webroots *w, char *out, size_t cap);

#endif
