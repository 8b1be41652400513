-- schema.sql: DebMonitor's tables (the data model of SPEC section 3), InnoDB and utf8mb4.
-- Applying it again is harmless: every statement is "if not exists".
--
-- Sizing: at 10,000 hosts of ~2,000 packages, host_package holds 20 million rows. Its
-- primary key (host_id, package_id) keeps one host's rows together, so an update reads and
-- rewrites them as one range; rows are five integers and two dates (~40 bytes). The
-- per-host counts shown on /hosts/ live on the host row, rewritten by the ingest that
-- changes them, so no page has to count the big table.
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS schema_version (
	version INT UNSIGNED NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
INSERT INTO schema_version (version)
	SELECT 7 FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM schema_version);

-- "Debian 12", "Ubuntu 24.04".
CREATE TABLE IF NOT EXISTS os (
	id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name VARCHAR(255) NOT NULL,
	UNIQUE KEY name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Binary package names, as dpkg shows them ("libc6", "libc6:i386").
CREATE TABLE IF NOT EXISTS package (
	id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name VARCHAR(255) NOT NULL,
	UNIQUE KEY name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS source_package (
	id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name VARCHAR(255) NOT NULL,
	UNIQUE KEY name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- A source package's version per OS. version_key: its byte-comparable form
-- (dm_version_key), so that SQL orders versions as dpkg does; NULL until computed.
CREATE TABLE IF NOT EXISTS source_package_version (
	id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	source_package_id INT UNSIGNED NOT NULL,
	os_id SMALLINT UNSIGNED NOT NULL,
	version VARCHAR(255) NOT NULL,
	created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	version_key VARBINARY(390) NULL,
	UNIQUE KEY source_os_version (source_package_id, os_id, version),
	KEY os (os_id),
	CONSTRAINT spv_source FOREIGN KEY (source_package_id) REFERENCES source_package (id),
	CONSTRAINT spv_os FOREIGN KEY (os_id) REFERENCES os (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
	STATS_SAMPLE_PAGES=200;

-- A binary package's version per OS, built from one source package version.
-- source_package_id: that source version's source, written with the link (the ingest
-- keeps them together), so that a source's binaries are one pass over the source_binary
-- key, a distinct (source, package) pair per group, without joining the source versions.
CREATE TABLE IF NOT EXISTS package_version (
	id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	package_id INT UNSIGNED NOT NULL,
	os_id SMALLINT UNSIGNED NOT NULL,
	version VARCHAR(255) NOT NULL,
	source_package_version_id INT UNSIGNED NOT NULL,
	created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	source_package_id INT UNSIGNED NOT NULL DEFAULT 0,
	UNIQUE KEY package_os_version (package_id, os_id, version),
	KEY os (os_id),
	KEY source_package_version (source_package_version_id),
	KEY source_binary (source_package_id, package_id),
	CONSTRAINT pv_package FOREIGN KEY (package_id) REFERENCES package (id),
	CONSTRAINT pv_os FOREIGN KEY (os_id) REFERENCES os (id),
	CONSTRAINT pv_source_version FOREIGN KEY (source_package_version_id)
		REFERENCES source_package_version (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
	STATS_SAMPLE_PAGES=200;

-- A running kernel (running_kernel.version) per OS. version: the Debian version its name
-- carries ("... Debian 6.1.76-1 (2024-02-01)"), NULL when none.
CREATE TABLE IF NOT EXISTS kernel_version (
	id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	os_id SMALLINT UNSIGNED NOT NULL,
	name VARCHAR(255) NOT NULL,
	version VARCHAR(255) NULL,
	version_key VARBINARY(390) NULL,
	UNIQUE KEY os_name (os_id, name),
	CONSTRAINT kv_os FOREIGN KEY (os_id) REFERENCES os (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- packages, upgrades, security_upgrades: counts of the host's host_package rows, kept
-- exact by the ingest transaction that changes them. full_digest: the digest of the last
-- full report applied (NULL after any other update): an unchanged full report then
-- writes only the host's times, without reading its rows.
CREATE TABLE IF NOT EXISTS host (
	id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name VARCHAR(255) NOT NULL,
	os_id SMALLINT UNSIGNED NOT NULL,
	kernel_id INT UNSIGNED NOT NULL,
	created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	modified DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	packages INT UNSIGNED NOT NULL DEFAULT 0,
	upgrades INT UNSIGNED NOT NULL DEFAULT 0,
	security_upgrades INT UNSIGNED NOT NULL DEFAULT 0,
	full_digest CHAR(32) CHARACTER SET ascii NULL,
	UNIQUE KEY name (name),
	KEY kernel (kernel_id),
	KEY modified (modified),
	-- Serves the foreign key and os=, and holds the counts /metrics sums per OS.
	KEY os_counts (os_id, upgrades, security_upgrades),
	CONSTRAINT host_os FOREIGN KEY (os_id) REFERENCES os (id),
	CONSTRAINT host_kernel FOREIGN KEY (kernel_id) REFERENCES kernel_version (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- The big one. upgrade_type: 0 a plain upgrade, 1 a security upgrade; it means something
-- only when upgradable_version_id is set. Every secondary key is paid for by every row
-- written and deleted (a host removed is 2,000 rows), so there are two, each also
-- serving a foreign key: version_install answers "who has these versions, upgradable to
-- what" (the package page, through the package's versions) from the key alone, and
-- "is this version still used" (debmonitor-gc). package_id is the version's package, kept
-- in the row for the primary key; its package is held by the version's foreign key.
CREATE TABLE IF NOT EXISTS host_package (
	host_id INT UNSIGNED NOT NULL,
	package_id INT UNSIGNED NOT NULL,
	package_version_id INT UNSIGNED NOT NULL,
	upgradable_version_id INT UNSIGNED NULL,
	upgrade_type TINYINT UNSIGNED NOT NULL DEFAULT 0,
	created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	modified DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (host_id, package_id),
	KEY version_install (package_version_id, upgradable_version_id, upgrade_type),
	KEY upgradable_version (upgradable_version_id, upgrade_type),
	CONSTRAINT hp_host FOREIGN KEY (host_id) REFERENCES host (id) ON DELETE CASCADE,
	CONSTRAINT hp_version FOREIGN KEY (package_version_id) REFERENCES package_version (id),
	CONSTRAINT hp_upgradable FOREIGN KEY (upgradable_version_id) REFERENCES package_version (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Container images: a full reference ("registry.example.org/team/app:1.2-3"), no kernel.
CREATE TABLE IF NOT EXISTS image (
	id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name VARCHAR(255) NOT NULL,
	os_id SMALLINT UNSIGNED NOT NULL,
	created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	modified DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	packages INT UNSIGNED NOT NULL DEFAULT 0,
	upgrades INT UNSIGNED NOT NULL DEFAULT 0,
	security_upgrades INT UNSIGNED NOT NULL DEFAULT 0,
	full_digest CHAR(32) CHARACTER SET ascii NULL,
	UNIQUE KEY name (name),
	KEY os (os_id),
	KEY modified (modified),
	CONSTRAINT image_os FOREIGN KEY (os_id) REFERENCES os (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS image_package (
	image_id INT UNSIGNED NOT NULL,
	package_id INT UNSIGNED NOT NULL,
	package_version_id INT UNSIGNED NOT NULL,
	upgradable_version_id INT UNSIGNED NULL,
	upgrade_type TINYINT UNSIGNED NOT NULL DEFAULT 0,
	created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	modified DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (image_id, package_id),
	KEY version_install (package_version_id, upgradable_version_id, upgrade_type),
	KEY upgradable_version (upgradable_version_id, upgrade_type),
	CONSTRAINT ip_image FOREIGN KEY (image_id) REFERENCES image (id) ON DELETE CASCADE,
	CONSTRAINT ip_version FOREIGN KEY (package_version_id) REFERENCES package_version (id),
	CONSTRAINT ip_upgradable FOREIGN KEY (upgradable_version_id) REFERENCES package_version (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Per-package counts for the package list: how many hosts and images have it installed,
-- with an upgrade, with a security upgrade. The ingest adds what each update changes to
-- one of 8 slots (0 to 7), so that concurrent updates touching libc6 rarely wait on one
-- row; removals (DELETE, debmonitor-gc) take their share back in slot 8, never waiting on
-- an update. Readers sum the slots. Slots may go negative; their sum is exact.
CREATE TABLE IF NOT EXISTS package_stats (
	package_id INT UNSIGNED NOT NULL,
	slot TINYINT UNSIGNED NOT NULL,
	hosts INT NOT NULL DEFAULT 0,
	host_upgrades INT NOT NULL DEFAULT 0,
	host_security INT NOT NULL DEFAULT 0,
	images INT NOT NULL DEFAULT 0,
	image_upgrades INT NOT NULL DEFAULT 0,
	image_security INT NOT NULL DEFAULT 0,
	PRIMARY KEY (package_id, slot),
	CONSTRAINT ps_package FOREIGN KEY (package_id) REFERENCES package (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Which images each Kubernetes cluster runs, per namespace.
CREATE TABLE IF NOT EXISTS kubernetes_image (
	cluster VARCHAR(255) NOT NULL,
	namespace VARCHAR(255) NOT NULL,
	image_id INT UNSIGNED NOT NULL,
	containers INT UNSIGNED NOT NULL,
	created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	modified DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (cluster, namespace, image_id),
	KEY image (image_id),
	CONSTRAINT ki_image FOREIGN KEY (image_id) REFERENCES image (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

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
	-- cve_issue.name of issue_id, here too: a host's page names its issues from these rows
	-- alone (looking up 6,000 names by id took a third of the page).
	issue_name VARCHAR(64) CHARACTER SET ascii NOT NULL DEFAULT '',
	PRIMARY KEY (source_name, codename, issue_id),
	UNIQUE KEY id (id),
	KEY issue (issue_id),
	KEY codename (codename),
	CONSTRAINT cr_issue FOREIGN KEY (issue_id) REFERENCES cve_issue (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- What the tracker says of each source version the fleet has, decided once by
-- debmonitor-cve (the import writes it again with the data, in the same transaction; its
-- counts add the versions reported since), so that a host's page reads one row per
-- version rather than the releases of its sources. source_name, source_version: the
-- version's source_package.name and version, so that the page joins this row and not
-- those two. issues: the issues that affect the version in its OS's release, packed: per
-- issue its status (one digit, cve_release's), then its name, urgency and fixed version
-- (resolved only, else empty) each as LENGTH:bytes.
-- A version without a row (reported since, or of an OS no release was known for) is
-- decided live from cve_release.
CREATE TABLE IF NOT EXISTS cve_verdict (
	source_package_version_id INT UNSIGNED NOT NULL PRIMARY KEY,
	source_name VARCHAR(255) NOT NULL,
	source_version VARCHAR(255) NOT NULL,
	issues MEDIUMBLOB NOT NULL,
	CONSTRAINT cv_version FOREIGN KEY (source_package_version_id)
		REFERENCES source_package_version (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- The same for each running kernel: the issues of linux that affect its version.
CREATE TABLE IF NOT EXISTS cve_kernel_verdict (
	kernel_version_id INT UNSIGNED NOT NULL PRIMARY KEY,
	issues MEDIUMBLOB NOT NULL,
	CONSTRAINT ckv_kernel FOREIGN KEY (kernel_version_id)
		REFERENCES kernel_version (id) ON DELETE CASCADE
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

-- The issues of cve_count per urgency, written with it: those affecting something, and
-- those with a fix available for some host or image. /metrics reads these few rows.
CREATE TABLE IF NOT EXISTS cve_urgency (
	urgency VARCHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	issues INT UNSIGNED NOT NULL DEFAULT 0,
	fixable INT UNSIGNED NOT NULL DEFAULT 0
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

-- The locks debmonitor-gc and debmonitor-cve take (lib/db/lock.h): a row per lock, which a
-- Galera cluster replicates, so that a holder on any node keeps the others out.
CREATE TABLE IF NOT EXISTS job_lock (
	name VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	node VARCHAR(255) NOT NULL,
	holder VARCHAR(255) NOT NULL,
	expires DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Databases made before version_install (a package key, a package_version key and a
-- foreign key on package_id) get it here; the statements do nothing once it is there.
ALTER TABLE host_package
	ADD KEY IF NOT EXISTS version_install (package_version_id, upgradable_version_id, upgrade_type),
	DROP FOREIGN KEY IF EXISTS hp_package,
	DROP KEY IF EXISTS package,
	DROP KEY IF EXISTS package_version;
ALTER TABLE image_package
	ADD KEY IF NOT EXISTS version_install (package_version_id, upgradable_version_id, upgrade_type),
	DROP FOREIGN KEY IF EXISTS ip_package,
	DROP KEY IF EXISTS package,
	DROP KEY IF EXISTS package_version;
