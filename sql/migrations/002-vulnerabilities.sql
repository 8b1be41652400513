-- 002: vulnerabilities (the Debian security tracker's data) and the version keys that let
-- SQL compare Debian versions.
SET NAMES utf8mb4;

-- The byte-comparable form of version (lib/core/version.h, dm_version_key): one key is
-- below another exactly when dpkg orders their versions so. NULL until computed:
-- debmonitor-migrate and debmonitor-cve fill what is missing, the ingest writes it with
-- the row.
ALTER TABLE source_package_version
	ADD COLUMN IF NOT EXISTS version_key VARBINARY(390) NULL;

-- The Debian version of the package a running kernel came from, read from its uname -v
-- ("#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"); NULL when it names none.
ALTER TABLE kernel_version
	ADD COLUMN IF NOT EXISTS version VARCHAR(255) NULL,
	ADD COLUMN IF NOT EXISTS version_key VARBINARY(390) NULL;

-- One issue of the tracker: a CVE id or a TEMP- id.
CREATE TABLE IF NOT EXISTS cve_issue (
	id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name VARCHAR(64) CHARACTER SET ascii NOT NULL,
	description TEXT NOT NULL,
	scope VARCHAR(32) NULL,
	debianbug INT UNSIGNED NULL,
	UNIQUE KEY name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- What the tracker says of an issue for one source package in one release (codename).
-- status: 0 resolved, 1 open, 2 undetermined. fixed_version only when resolved; "0" means
-- the release never had the vulnerable code (fixed_key NULL). urgency as the tracker
-- writes it, stars included. source_name, not an id: the fleet may install it later.
-- The rows are kept in (source, release) order: a host's page reads, for each of its
-- source versions, that source's rows of its release, every column (status, fixed_key),
-- as one range of the primary key rather than a lookup per row.
CREATE TABLE IF NOT EXISTS cve_release (
	id INT UNSIGNED NOT NULL AUTO_INCREMENT,
	issue_id INT UNSIGNED NOT NULL,
	source_name VARCHAR(255) NOT NULL,
	codename VARCHAR(64) CHARACTER SET ascii NOT NULL,
	status TINYINT UNSIGNED NOT NULL,
	urgency VARCHAR(32) CHARACTER SET ascii NOT NULL,
	fixed_version VARCHAR(255) NULL,
	fixed_key VARBINARY(390) NULL,
	PRIMARY KEY (source_name, codename, issue_id),
	UNIQUE KEY id (id),
	KEY issue (issue_id),
	KEY codename (codename),
	CONSTRAINT cr_issue FOREIGN KEY (issue_id) REFERENCES cve_issue (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- How many hosts and images each issue affects, counted by debmonitor-cve after an import
-- and on its timer (cve_state.counted says when): any way (hosts, images), with a fix
-- available (the _fixable columns). states: the ways it affects them, 1 a fix available,
-- 2 open (no fix yet), 4 undetermined. urgency: the most severe of the affecting releases.
CREATE TABLE IF NOT EXISTS cve_count (
	issue_id INT UNSIGNED NOT NULL PRIMARY KEY,
	hosts INT UNSIGNED NOT NULL DEFAULT 0,
	images INT UNSIGNED NOT NULL DEFAULT 0,
	hosts_fixable INT UNSIGNED NOT NULL DEFAULT 0,
	images_fixable INT UNSIGNED NOT NULL DEFAULT 0,
	states TINYINT UNSIGNED NOT NULL DEFAULT 0,
	urgency VARCHAR(32) CHARACTER SET ascii NOT NULL DEFAULT '',
	CONSTRAINT cc_issue FOREIGN KEY (issue_id) REFERENCES cve_issue (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Per host, as counted with cve_count: the issues affecting it, those with a fix
-- available, and those of high urgency with a fix available (the dashboard's list).
-- Only hosts with at least one issue have a row.
CREATE TABLE IF NOT EXISTS cve_host (
	host_id INT UNSIGNED NOT NULL PRIMARY KEY,
	issues INT UNSIGNED NOT NULL DEFAULT 0,
	fixable INT UNSIGNED NOT NULL DEFAULT 0,
	high_fixable INT UNSIGNED NOT NULL DEFAULT 0,
	KEY high_fixable (high_fixable),
	CONSTRAINT ch_host FOREIGN KEY (host_id) REFERENCES host (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- The one row of import state: where the data came from, its HTTP validators for the next
-- conditional GET, its digest, when it was imported and what the import changed.
CREATE TABLE IF NOT EXISTS cve_state (
	id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	source VARCHAR(2048) NOT NULL,
	etag VARCHAR(255) NULL,
	last_modified VARCHAR(64) NULL,
	digest CHAR(64) CHARACTER SET ascii NOT NULL,
	imported DATETIME NOT NULL,
	checked DATETIME NOT NULL,
	counted DATETIME NULL,
	issues INT UNSIGNED NOT NULL DEFAULT 0,
	added INT UNSIGNED NOT NULL DEFAULT 0,
	resolved INT UNSIGNED NOT NULL DEFAULT 0,
	removed INT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
