-- 003: what /metrics and the host page read, made cheap: the issues that affect
-- something, per urgency, as debmonitor-cve's last count left them (a few rows instead of
-- grouping cve_count); the hosts' counts per OS in a key of their own (one pass over a
-- narrow index); the issue's name on each release row (no lookup by id).
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS cve_urgency (
	urgency VARCHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	issues INT UNSIGNED NOT NULL DEFAULT 0,
	fixable INT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- What the last count found, until the next one writes it itself.
INSERT INTO cve_urgency (urgency, issues, fixable)
	SELECT urgency, COUNT(*), SUM(hosts_fixable + images_fixable > 0) FROM cve_count
	GROUP BY urgency
	ON DUPLICATE KEY UPDATE issues = VALUES(issues), fixable = VALUES(fixable);

-- The host key on os_id becomes one that holds the counts too (it still serves the
-- foreign key and the os= filters).
ALTER TABLE host ADD INDEX IF NOT EXISTS os_counts (os_id, upgrades, security_upgrades);
ALTER TABLE host DROP INDEX IF EXISTS os;

-- The issue's name on its release rows; debmonitor-cve writes it with each new row.
ALTER TABLE cve_release
	ADD COLUMN IF NOT EXISTS issue_name VARCHAR(64) CHARACTER SET ascii NOT NULL DEFAULT '';
UPDATE cve_release r JOIN cve_issue i ON i.id = r.issue_id SET r.issue_name = i.name
	WHERE r.issue_name = '';
