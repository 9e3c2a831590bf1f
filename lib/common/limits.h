/*
 * Every limit exhunt enforces, in one place, each with the reason for its value.
 *
 * Evidence is hostile: sizes, counts and depths taken from it are never trusted. Each
 * growable buffer is created with one of these ceilings; reaching one is a counted,
 * reported event (a bad record, an unreadable file), never a crash or a silent drop.
 */
#ifndef XH_LIMITS_H
#define XH_LIMITS_H

/* Longest line or CSV record kept whole. Real IIS lines are < 8 KiB and the longest
 * Exchange lines (HttpProxy with GenericInfo, Rps_Cmdlet parameters) stay under 64 KiB;
 * 1 MiB leaves room for attacker-stuffed query strings while bounding memory per worker.
 * Longer lines are cut here, counted as bad and their rest skipped. */
#define XH_MAX_LINE (1u << 20)

/* Bytes requested from the input per read(): large enough to amortise syscalls at
 * ~1 GB/s, small enough that jobs x buffers stays a few MiB. */
#define XH_READ_CHUNK (256u << 10)

/* Columns in a #Fields header. W3C defines ~30 standard fields and custom ones are
 * rare; the widest Exchange log (HttpProxy) has 74 and EWS about 90. */
#define XH_MAX_FIELDS 256

/* Length of one column name in #Fields; real names are < 64 bytes. */
#define XH_MAX_FIELD_NAME 128

/* Derived fields per record (ECP EventData S:KEY parts: about 16 in real logs). */
#define XH_MAX_DERIVED 64

/* Bytes kept of a header directive value (#Log-type, #Version, #Software). */
#define XH_MAX_DIRECTIVE 256

/* Bytes of a file looked at to classify it: the W3C and Exchange headers are within
 * the first few lines; EVTX magic is at 0. */
#define XH_SNIFF_BYTES (8u << 10)

/* Folder depth walked. Windows paths rarely go beyond 30 levels; a deeper tree is a
 * crafted collection or a link loop (which we never follow anyway). */
#define XH_MAX_DEPTH 64

/* Evidence-relative path length. NTFS allows 32,767 UTF-16 units; 8 KiB of UTF-8
 * covers every real Windows path while bounding per-entry memory. Longer: counted as
 * unreadable ("path too long"). */
#define XH_MAX_PATH 8192

/* Entries enumerated per evidence root (folder tree or archive). A server collection
 * holds ~10^5 files; 10^7 bounds the entry table to ~1 GiB worst case of names. */
#define XH_MAX_ENTRIES 10000000u

/* Per-file output kept in memory before it spills to an anonymous temp file, so that
 * output order stays deterministic while memory stays bounded by jobs x this. */
#define XH_OBUF_MEM (4u << 20)

/* One record formatted for output. A record's text, fields and derived fields each
 * hold at most XH_MAX_LINE (+1 for a joined CSV record) source bytes, and the worst
 * escaping turns one byte into 6 (JSON \u00XX), so 3 x 6 x XH_MAX_LINE plus names and
 * the path stays under this; a record can therefore always be written. */
#define XH_MAX_RECORD_OUT (20u << 20)

/* What a writer formats on the caller's thread before it goes to the sink: one finding
 * (at most XH_MAX_LINE of evidence, x6 when escaped, plus a few fields) or, for the text
 * report, its whole grouped findings section (up to XH_MAX_FINDINGS_KEPT findings of a
 * few hundred bytes each). Beyond it the writer returns XH_ELIMIT. */
#define XH_MAX_WRITER_TMP ((size_t)64 << 20)

/* Coverage statements one report makes (output/report.c): one per campaign with a
 * window, the web logs' span, event logs, archives, unreadable files, bad records;
 * about ten in the worst case. */
#define XH_MAX_NOTICES 16

/* Hosts the text report lists findings under by name, and campaigns per host; findings
 * of further hosts are listed together under "host not named in the logs (or beyond
 * the first 16)". A collection is one server; a folder of several collections names a
 * handful. */
#define XH_TEXT_MAX_HOSTS 16
#define XH_TEXT_MAX_CAMPAIGNS 16
/* Activities (requests seen in several logs) the text report remembers having shown per
 * host; past it an activity's other lines may be shown again (nothing is lost). */
#define XH_TEXT_MAX_ACTIVITIES 65536

/* A coverage or build row's packed detail cell in the CSV writer: a dozen counters and
 * two times (~300 bytes); the rest of the row is escaped cell by cell. */
#define XH_CSV_MAX_DETAIL 4096

/* Files processed ahead of the next file to be written: bounds memory and open temp
 * files when one early file is slow. Multiplied by the job count. */
#define XH_INFLIGHT_PER_JOB 4

/* Worker threads: more than this gives nothing on a collection, only memory. */
#define XH_MAX_JOBS 256

/* Findings kept in memory for the grouped text report; counted beyond it. */
#define XH_MAX_FINDINGS_KEPT 100000

/* Decompressed bytes read from one gzip member or zip entry. Streams keep memory
 * bounded; this bounds time spent on a decompression bomb (64 GiB ~ a minute). */
#define XH_MAX_INFLATED ((unsigned long long)64 << 30)

/* Sigma rule files. The largest SigmaHQ rule is ~10 KiB; a pack of a few thousand rules
 * stays far below these, and a hostile rule cannot make the compiler explode. */
#define XH_MAX_RULE_FILE (1u << 20)     /* bytes per rule file */
#define XH_MAX_YAML_DEPTH 32            /* nesting of mappings/sequences */
#define XH_MAX_YAML_NODES 200000        /* nodes per file */
#define XH_MAX_YAML_SCALAR 65536        /* bytes per value */
#define XH_MAX_YAML_DOCS 256            /* documents per file */
#define XH_MAX_RULES 100000             /* rules loaded */
#define XH_MAX_COND_DEPTH 64            /* parentheses / not nesting in a condition */
#define XH_MAX_WINDASH_VARIANTS 256     /* values one windash value may expand to */
#define XH_MAX_RULE_FILES 100000        /* files walked below a rules folder */
/* Matchers one value of a test may become: windash variants, each in base64offset's
 * three alignments. */
#define XH_MAX_VALUE_VARIANTS (XH_MAX_WINDASH_VARIANTS * 3)
/* Dashes of one value windash varies: 5 forms each, so 8 gives 390,625 before the
 * variant limit refuses it anyway. */
#define XH_MAX_WINDASH_DASHES 8
/* Transforming modifiers (windash, base64, utf16, ...) on one field; rules use 1-3. */
#define XH_MAX_MODIFIER_STEPS 16
/* Bytes of a value read as a number (|gt, |lt ...) or of a network (|cidr): the longest
 * IPv6 address is 45 characters and a double needs < 30; longer values never match. */
#define XH_MAX_NUMBER_TEXT 64
#define XH_MAX_CIDR_TEXT 64
/* Bytes of a word of a condition (an identifier, "and", a count); SigmaHQ identifiers
 * are < 60 bytes; a longer one is compared cut here. */
#define XH_MAX_COND_WORD 128
/* The count of an "N of" condition; no rule has 1,000 selections. */
#define XH_MAX_COND_COUNT 1000
/* Bytes of a rule field name compared with Sigma's web-server names (none is over 20
 * bytes); a longer name is cut here for the comparison. */
#define XH_MAX_RULE_FIELD_NAME 128
/* Bytes of the reason a rule is rejected with, and of a logsource as listed
 * ("category/product/service [variant]"): one line of `exhunt rules list`. */
#define XH_MAX_RULE_REASON 200
#define XH_MAX_LOGSOURCE_TEXT 160
#define XH_MAX_LOGSOURCE_LABEL 200
/* Bytes of a path below a rules folder; a longer one is skipped (rules are ours or the
 * analyst's, not evidence). */
#define XH_MAX_RULE_PATH 4096
/* Bytes of a built-in rule's name ("builtin:rules/<campaign>/<file>.yml"). */
#define XH_MAX_PACK_NAME 512
/* thor.yml entries one Windows category maps to, each compiled as a rule of its own
 * (registry_event and wmi_event have 3). */
#define XH_MAX_WINSOURCE_VARIANTS 8
/* Entries of the per-thread cache of columns per (rule field name, schema): a power of
 * two (the hash is masked by it); the fields of a few thousand rules fit. */
#define XH_COLCACHE 1024
/* Bytes of the host name and the client address a finding quotes from its record. */
#define XH_FINDING_HOST 256
#define XH_FINDING_CLIENT 64
/* Informational findings of one file compared with the last this many when folding
 * repeats of one rule and client (scanner noise) into one finding with a count. */
#define XH_FOLD_LOOKBACK 256

/* Fields a finding quotes from its record (the ones its rules test). */
#define XH_MAX_FINDING_FIELDS 8

/* Records of one request in several logs (front end and back end IIS, HttpProxy, ECP)
 * without a request id are linked when they name the same client and page within this
 * time: the front end logs a request a few milliseconds to a second after the back end. */
#define XH_ACTIVITY_WINDOW_MS 2000
/* The longest request id taken from a record (Exchange's are 36-byte GUIDs). */
#define XH_MAX_REQUEST_ID 64

/* Rules one finding lists (the rules one record met): the pack has a few that overlap on
 * one request; a crafted line meeting hundreds of --rules is listed by its first ones and
 * the rest counted (rules_more). Tags and references of a finding are the union of its
 * rules', capped the same way. */
#define XH_MAX_FINDING_RULES 16
#define XH_MAX_FINDING_TAGS 64
#define XH_MAX_FINDING_REFS 32

/* Literal alternatives one rule may give the prefilter; beyond it (a long base64offset
 * or windash expansion) the rule is simply evaluated on every record. */
#define XH_MAX_PF_LITS_PER_RULE 1024

/* Distinct Exchange builds kept per file and per scan (patch/builds_seen.c): a server
 * runs a handful in its life (one per CU and update); more are counted as dropped. */
#define XH_MAX_BUILDS_SEEN 64

/* Hosts (one per server's collection) in one scan: an estate of a few thousand Exchange
 * servers is the largest a responder hands one run; each host keeps its findings'
 * judgement and coverage, so this bounds the per-host tables. More is refused. */
#define XH_MAX_HOSTS 100000

/* A host name from a collector's metadata: DNS names are at most 253 bytes. */
#define XH_MAX_HOST_NAME 255

/* Bytes read of a collector's metadata file (client_info.json, collection_context.json,
 * a KAPE console log) to find the host name: it is near the start of each. */
#define XH_MAX_COLLECTOR_META (64u << 10)

/* Collections looked back over to find the one holding a path (nested collections or
 * siblings sorting between a folder and its files are rare; beyond this a path falls to
 * its root's own host). */
#define XH_MAX_HOST_LOOKBACK 64

/* Total coverage groups (source kind x folder). */
#define XH_MAX_GROUPS 100000

/* ---- EVTX (evtx.c) ----
 * A chunk is 64 KiB, so everything a record can reference lives in 64 KiB; the limits
 * below bound what a crafted chunk can make the decoder produce or walk. */
/* Element nesting in one event. Real events nest 4-6 deep (Event/UserData/x/y). */
#define XH_EVTX_MAX_DEPTH 64
/* Template instances nested through BinXML substitution values; real files use 2-3. */
#define XH_EVTX_MAX_NEST 16
/* Tokens walked per record: templates reuse values, so output is not bounded by the
 * record size alone; a real record walks < 2,000 tokens. */
#define XH_EVTX_MAX_STEPS 200000ul
/* Rendered value bytes per record: a 64 KiB record of binary renders to 128 KiB of hex;
 * 2 MiB leaves room for value reuse while bounding a crafted record. */
#define XH_EVTX_MAX_TEXT (2u << 20)
/* Fields per record: Security and Sysmon events have < 40, the widest real ones < 200. */
#define XH_EVTX_MAX_FIELDS 512
/* The "Name=value; " text of a record (values plus names and separators). */
#define XH_EVTX_MAX_RAW (XH_EVTX_MAX_TEXT + XH_EVTX_MAX_FIELDS * 1024u)
/* Composed field names ("Provider_Name", "Data[3]") per record. */
#define XH_EVTX_COMP_NAMES (64u << 10)
/* Substitution values alive at once (nested arrays); a chunk holds < 16,384 4-byte
 * descriptors in all. */
#define XH_EVTX_MAX_SUBS 16384
/* Name cache per chunk: slots (a power of two) and UTF-8 bytes. A chunk's names are at
 * most 64 KiB of UTF-16, i.e. < 96 KiB of UTF-8. */
#define XH_EVTX_NAME_BITS 12
#define XH_EVTX_NAME_SLOTS (1u << XH_EVTX_NAME_BITS)
#define XH_EVTX_NAME_ARENA (192u << 10)
/* Chunks decoded ahead per file when helper threads decode a large file's chunks: the
 * batch is copied out of the input (64 x 64 KiB = 4 MiB per such file). */
#define XH_EVTX_BATCH 64
/* Helper threads one file may use (each has its own ~5 MiB decoder); the scan's spare
 * cores bound the total. */
#define XH_EVTX_MAX_HELPERS 15
/* Decoded text of one chunk kept for in-order output: a chunk's records render to a few
 * hundred KiB; a crafted chunk beyond this is decoded again serially at its turn. */
#define XH_EVTX_SLOT_TEXT (16u << 20)

/* ==== probe (exhunt probe, issue 7) ===============================================
 * Answers come from hosts that may be hostile or broken: what is kept of each is
 * capped, and every count a user gives is bounded so that memory stays flat however
 * large the target list is (targets are an index space, never a list in memory). */

/* Response header bytes accepted per answer. A real OWA answer sends ~1.5 KiB of
 * headers (cookies included); 32 KiB is what common servers allow per request. More
 * is a garbage answer: the transfer is stopped and reported as a bad response. */
#define XH_PROBE_MAX_HEADER (32u << 10)

/* Body bytes kept per answer. The versioned /owa/auth/<build>/ paths sit in the first
 * ~10 KiB of the logon page (~60 KiB in all) and the export-tool manifest is ~5 KiB;
 * reading stops here, so an endless body costs nothing more. */
#define XH_PROBE_MAX_BODY (128u << 10)

/* Redirects followed per request (same scheme, host and port only): OWA needs one
 * (/owa/ -> /owa/auth/logon.aspx); a few more covers load balancers; beyond is a loop. */
#define XH_PROBE_MAX_REDIRECTS 3

/* Longest URL requested (a redirect's path and query included); longer locations are
 * not followed. 2 KiB is what proxies commonly accept. */
#define XH_PROBE_MAX_URL 2048

/* Targets in flight at once: each holds a libcurl handle, a socket and at most the
 * caps above (~160 KiB worst case), so 4096 stay under 1 GiB even if every host sends
 * garbage, and well under the usual 20k file-descriptor limit. */
#define XH_PROBE_MAX_CONCURRENCY 4096
#define XH_PROBE_DEF_CONCURRENCY 256

/* Request timeouts (ms): defaults and the ceiling a user may set. */
#define XH_PROBE_DEF_TIMEOUT_MS 10000
#define XH_PROBE_DEF_CONNECT_TIMEOUT_MS 5000
#define XH_PROBE_MAX_TIMEOUT_MS 300000

/* Extra tries of a request that timed out or was cut off; more only hammers a host. */
#define XH_PROBE_DEF_RETRIES 1
#define XH_PROBE_MAX_RETRIES 5

/* Token bucket: a batch of tokens is handed out per tick of this length, so a high
 * rate costs one wake-up per tick, not one per request. */
#define XH_PROBE_TICK_MS 20

/* Specs in one target set (lines of -iL files included) and exclusions; each spec is
 * ~300 bytes, so 10^6 bounds the table to ~300 MiB. */
#define XH_PROBE_MAX_SPECS 1000000u
#define XH_PROBE_MAX_EXCLUDES 1000000u

/* An IPv6 CIDR may cover at most 2^32 addresses (/96): wider IPv6 ranges cannot be
 * walked in any useful time and are refused. */
#define XH_PROBE_MAX_V6_HOST_BITS 32

/* Ports in --ports. */
#define XH_PROBE_MAX_PORTS 64

/* Bytes of one target spec or list line (a URL with a long path fits). */
#define XH_PROBE_MAX_SPEC 1024

/* Bytes of an -iL / --exclude-file list read into memory (~1.5 M lines). */
#define XH_PROBE_MAX_LIST_FILE (64u << 20)

/* One probe result formatted for output: the target, its answer's fingerprint and up
 * to XH_MAX_CVES verdicts of a few hundred bytes each; far below this. */
#define XH_PROBE_MAX_RECORD_OUT ((size_t)1 << 20)

/* The resume point is handed to the caller at most this often. */
#define XH_PROBE_CHECKPOINT_MS 1000

/* ==== file checks (files/: files.c, tap.c, hits.c, place_rules.c, file_finding.c,
 * yara_rules.c, hashes.c, allowlist.c, webroot.c, appconfig.c): web shells and other
 * artefacts on disk ================================================================ */

/* Bytes of a file's content YARA and the content checks look at: the default and the
 * range --max-scan-bytes accepts. Web shells are < 100 KB (most < 10 KB), a
 * CVE-2021-27065 dump is ~2 KB, the compiled App_Web DLLs < 40 KB, DearCry < 2 MB, and a
 * minidump names its modules near its start; 2 MiB covers them all at jobs x 2 MiB of
 * memory (allocated per worker up front). A file cut here is counted (content_cut) and
 * YARA's filesize is still the real size. */
#define XH_FILES_SCAN_DEFAULT (2u << 20)
#define XH_FILES_SCAN_MIN (4u << 10)
#define XH_FILES_SCAN_MAX (256u << 20)

/* Files larger than this are not hashed (counted as not_hashed) and only their first
 * --max-scan-bytes are read: every known-bad hash is of a file under 10 MB and the
 * allow-list holds pages under 200 KB, so hashing a 4 GB sparse file or a mailbox
 * database would only cost time. LSASS dumps (40-500 MB) are still hashed. */
#define XH_FILES_HASH_MAX (256ull << 20)

/* MD5 and SHA-1 (for the IOCs published only in those) are computed for files up to
 * this size: they are web shells, scripts and tools of < 4 MB; SHA-256 covers the rest. */
#define XH_FILES_LEGACY_HASH_MAX (4u << 20)

/* Evidence bytes a file finding quotes around its first match. */
#define XH_FILES_EXCERPT 240

/* The quote starts at most this many bytes before the match (back to its line's start:
 * a web shell's line is short; a binary file is quoted from the match). */
#define XH_FILES_EXCERPT_BACK 80

/* Bytes quoted when the quote would start on a line break (a binary file's bytes). */
#define XH_FILES_EXCERPT_MIN 16

/* Seconds YARA may spend on one file: a pathological regex on crafted content must not
 * stall a worker (a timeout is counted and named in the file's finding, if any). */
#define XH_FILES_YARA_TIMEOUT 30

/* Hits (YARA rules, hash, name and place checks) kept for one file; one finding says
 * them all. More is a crafted file matching everything: the first ones are enough. */
#define XH_FILES_MAX_HITS 32

/* Tags a file finding carries (the union of its hits' tags). */
#define XH_FILES_MAX_TAGS 16

/* Bytes of one tag (with its NUL); a longer tag of a user's YARA meta is left out. */
#define XH_FILES_TAG_LEN 48

/* Fields of a file finding: family, place, size, three hashes, time source, also,
 * scanned and the YARA note are 10; room for two more. */
#define XH_FILES_MAX_FIELDS 12

/* Bytes of a file finding's `also` (the other hits by name and level): ~20 names, a
 * crafted file matching every rule gets the first ones. */
#define XH_FILES_ALSO 640

/* Bytes of the texts a hit makes at run time (cut beyond): its rule id
 * ("yara:<namespace>/<rule>"), its family and title (a known-bad entry's name and
 * source, a user's YARA meta), and a finding's note naming the content trait. */
#define XH_FILES_HIT_ID 160
#define XH_FILES_HIT_FAMILY 160
#define XH_FILES_HIT_TITLE 256
#define XH_FILES_NOTE 160

/* A --yara rule file, and files walked below a --yara folder. The largest public YARA
 * collections are < 2 MB per file. */
#define XH_FILES_MAX_YARA_FILE (4u << 20)
#define XH_FILES_MAX_YARA_FILES 10000

/* An --allowlist file: Microsoft's full baseline of every build is ~2 MB as text. */
#define XH_FILES_MAX_LIST_FILE (64u << 20)

/* Bytes of a name compared for look-alikes (edit distance): stock page names are < 40. */
#define XH_FILES_EDIT_NAME 64

/* Exchange install roots and IIS web roots remembered per scan; a collection holding many
 * servers stays far below. */
#define XH_FILES_MAX_ROOTS 64

/* Folder components a path is split into for place detection (XH_MAX_DEPTH + drive). */
#define XH_FILES_MAX_COMPS (XH_MAX_DEPTH + 8)

/* Bytes kept of a path below a drive-level place (ProgramData, Windows\Temp, ...): the
 * place rules look at its first folders and its name. */
#define XH_FILES_PLACE_SUB 512

/* Bytes of a place in words, with its folder ("Exchange front end (FrontEnd\...)"). */
#define XH_FILES_PLACE_WHERE 192

/* Configuration files (applicationHost.config, web.config): element nesting followed,
 * bytes kept of one attribute value, conditions kept per rewrite rule, and findings per
 * file (a crafted config with 10^5 rogue vdirs says so once it is past the limit). */
#define XH_FILES_MAX_XML_DEPTH 64
#define XH_FILES_MAX_ATTR 2048
#define XH_FILES_MAX_CONDITIONS 8
#define XH_FILES_MAX_CONFIG_FINDINGS 32

/* Fields one configuration item carries (a rogue vdir: site, application, vdir, path). */
#define XH_FILES_MAX_CONFIG_FIELDS 5

/* Bytes kept of a site name, a rewrite condition's input ({HTTP_COOKIE},
 * {UrlDecode:{REQUEST_URI}}) and an action type (AbortRequest): real ones are < 40. */
#define XH_FILES_CFG_SITE 256
#define XH_FILES_CFG_INPUT 128
#define XH_FILES_CFG_ACTION 64

/* Bytes of an element a configuration finding quotes (a vdir or handler tag). */
#define XH_FILES_CFG_EXCERPT 400

#endif
