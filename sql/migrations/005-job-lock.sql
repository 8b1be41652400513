-- 005: the locks debmonitor-gc and debmonitor-cve take, as rows that a Galera cluster
-- replicates (GET_LOCK holds on one server only): lib/db/lock.h.
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS job_lock (
	name VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	node VARCHAR(255) NOT NULL,
	holder VARCHAR(255) NOT NULL,
	expires DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
