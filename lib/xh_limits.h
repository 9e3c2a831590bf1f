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
/* Informational findings of one file compared with the last this many when folding
 * repeats of one rule and client (scanner noise) into one finding with a count. */
#define XH_FOLD_LOOKBACK 256

/* Fields a finding quotes from its record (the ones its rule tests). */
#define XH_MAX_FINDING_FIELDS 8

/* Literal alternatives one rule may give the prefilter; beyond it (a long base64offset
 * or windash expansion) the rule is simply evaluated on every record. */
#define XH_MAX_PF_LITS_PER_RULE 1024

/* Total coverage groups (source kind x folder). */
#define XH_MAX_GROUPS 100000

/* ==== file checks (filecheck.c, yara_rules.c, hashes.c, allowlist.c, webroot.c,
 * appconfig.c): web shells and other artefacts on disk ================================= */

/* Bytes of a file's content YARA and the content checks look at: the default and the
 * range --max-scan-bytes accepts. Web shells are < 100 KB (most < 10 KB), a
 * CVE-2021-27065 dump is ~2 KB, the compiled App_Web DLLs < 40 KB, DearCry < 2 MB, and a
 * minidump names its modules near its start; 2 MiB covers them all at jobs x 2 MiB of
 * memory (allocated per worker up front). A file cut here is counted (content_cut) and
 * YARA's filesize is still the real size. */
#define XH_FC_SCAN_DEFAULT (2u << 20)
#define XH_FC_SCAN_MIN (4u << 10)
#define XH_FC_SCAN_MAX (256u << 20)

/* Files larger than this are not hashed (counted as not_hashed) and only their first
 * --max-scan-bytes are read: every known-bad hash is of a file under 10 MB and the
 * allow-list holds pages under 200 KB, so hashing a 4 GB sparse file or a mailbox
 * database would only cost time. LSASS dumps (40-500 MB) are still hashed. */
#define XH_FC_HASH_MAX (256ull << 20)

/* MD5 and SHA-1 (for the IOCs published only in those) are computed for files up to
 * this size: they are web shells, scripts and tools of < 4 MB; SHA-256 covers the rest. */
#define XH_FC_LEGACY_HASH_MAX (4u << 20)

/* Evidence bytes a file finding quotes around its first match. */
#define XH_FC_EXCERPT 240

/* Seconds YARA may spend on one file: a pathological regex on crafted content must not
 * stall a worker (a timeout is counted and named in the file's finding, if any). */
#define XH_FC_YARA_TIMEOUT 30

/* Hits (YARA rules, hash, name and place checks) kept for one file; one finding says
 * them all. More is a crafted file matching everything: the first ones are enough. */
#define XH_FC_MAX_HITS 32

/* Tags a file finding carries (the union of its hits' tags). */
#define XH_FC_MAX_TAGS 16

/* A --yara rule file, and files walked below a --yara folder. The largest public YARA
 * collections are < 2 MB per file. */
#define XH_FC_MAX_YARA_FILE (4u << 20)
#define XH_FC_MAX_YARA_FILES 10000

/* An --allowlist file: Microsoft's full baseline of every build is ~2 MB as text. */
#define XH_FC_MAX_LIST_FILE (64u << 20)

/* Exchange install roots and IIS web roots remembered per scan; a collection holding many
 * servers stays far below. */
#define XH_FC_MAX_ROOTS 64

/* Folder components a path is split into for place detection (XH_MAX_DEPTH + drive). */
#define XH_FC_MAX_COMPS (XH_MAX_DEPTH + 8)

/* Configuration files (applicationHost.config, web.config): element nesting followed,
 * bytes kept of one attribute value, conditions kept per rewrite rule, and findings per
 * file (a crafted config with 10^5 rogue vdirs says so once it is past the limit). */
#define XH_FC_MAX_XML_DEPTH 64
#define XH_FC_MAX_ATTR 2048
#define XH_FC_MAX_CONDITIONS 8
#define XH_FC_MAX_CONFIG_FINDINGS 32

#endif
