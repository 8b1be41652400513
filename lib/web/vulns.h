/* vulns.h: the vulnerabilities section of a host's or an image's page and JSON. */
#ifndef DM_VULNS_H
#define DM_VULNS_H

#include <mysql.h>
#include <stdio.h>

#include "cgi/entry.h"
#include "core/distro.h"
#include "cve/exposure.h"
#include "db/model.h"

struct dm_vuln_row;

/*
 * What the security tracker's data says of one host or image: whether it covers its OS,
 * the issues that affect its packages (and, for a host, the kernel it runs), where its
 * release stands (end of life), and whether a host runs an older kernel than it has.
 */
struct dm_vulns {
	const char *os; /* borrowed */
	struct dm_distro distro;
	const struct dm_release *rel; /* in distro; NULL when the OS names no release */
	enum dm_support support;      /* of rel */
	enum dm_cve_cover cover;
	struct dm_results rels;   /* the release rows of its sources, when covered */
	char *text;               /* the strings of the rows from verdicts */
	struct dm_vuln_row *rows; /* the rows that affect, sorted as shown */
	size_t n_rows, cap_rows;
	char running[256]; /* a host's running kernel's Debian version, "" if unknown */
	char newest[256];  /* a host's newest installed linux-image-* version, or "" */
	int reboot;        /* newest is above running */
	char imported[DM_CVE_IMPORTED_LEN]; /* when the data was imported (ISO 8601), or "" */
};

/* A host's running kernel: its name, and debmonitor-cve's verdict on it (NULL: none). */
struct dm_vulns_kernel {
	const char *name;
	const char *verdict; /* cve_kernel_verdict.issues */
	size_t len;
};

/*
 * Queries what the tracker says of the packages of a host or image, whose OS is os, whose
 * running kernel is kernel (a host's; NULL for an image), and whose package list is pkgs
 * (a stored result of dm_pkglist_query, left at its start): 0, or -1 on an error
 * (mysql_errno says if of the database; otherwise the message went to stderr). Then
 * dm_vulns_free.
 */
int dm_vulns_query(struct dm_vulns *v, struct dm_ctx *ctx, const char *os,
                   const struct dm_vulns_kernel *kernel, MYSQL_RES *pkgs);
void dm_vulns_free(struct dm_vulns *v);
/* Writes the JSON members ,"release":...,"vulnerabilities":{...} (a leading comma). */
void dm_vulns_json(FILE *f, struct dm_vulns *v, enum dm_kind kind);
/* Writes the facts (<dt>/<dd>: release and support, reboot) into the open <dl>. */
void dm_vulns_facts_html(FILE *f, const struct dm_vulns *v, enum dm_kind kind);
/*
 * Writes the section: a heading, and the table or why there is none; the first
 * DM_VULNS_HTML_ROWS rows (the most urgent) unless all, with a link to all of them. Few,
 * because the package table follows on the same page and a browser lays out each table
 * whole: two tables of 200 rows took a slow machine's Chromium over half a second.
 */
#define DM_VULNS_HTML_ROWS 50
void dm_vulns_html(FILE *f, struct dm_vulns *v, int all);

#endif
