-- 006: each package version names its source package too (the source of its source
-- version, written with the link by the ingest), keyed with the package: the binaries of
-- every source, as /source-packages/ counts them, are then one pass over a narrow key
-- instead of every package version joined to its source version.
SET NAMES utf8mb4;

ALTER TABLE package_version
	ADD COLUMN IF NOT EXISTS source_package_id INT UNSIGNED NOT NULL DEFAULT 0;
UPDATE package_version pv JOIN source_package_version spv
	ON spv.id = pv.source_package_version_id
	SET pv.source_package_id = spv.source_package_id
	WHERE pv.source_package_id <> spv.source_package_id;
ALTER TABLE package_version
	ADD KEY IF NOT EXISTS source_binary (source_package_id, package_id);
