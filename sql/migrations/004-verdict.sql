-- 004: the tracker's verdict on each source version, decided once (cve_verdict) rather
-- than on every view of a host's page. Empty here: every version is then decided live,
-- as before, until debmonitor-cve's next import or count fills it.
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS cve_verdict (
	source_package_version_id INT UNSIGNED NOT NULL PRIMARY KEY,
	source_name VARCHAR(255) NOT NULL,
	source_version VARCHAR(255) NOT NULL,
	issues MEDIUMBLOB NOT NULL,
	CONSTRAINT cv_version FOREIGN KEY (source_package_version_id)
		REFERENCES source_package_version (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS cve_kernel_verdict (
	kernel_version_id INT UNSIGNED NOT NULL PRIMARY KEY,
	issues MEDIUMBLOB NOT NULL,
	CONSTRAINT ckv_kernel FOREIGN KEY (kernel_version_id)
		REFERENCES kernel_version (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
