-- 007: the version tables' row estimates, which /metrics reports, from 200 sampled pages
-- instead of InnoDB's 20: after debmonitor-gc thins a table out, 20 pages put the estimate
-- 10% off and more (bench/README, "/metrics"). A change of the table's options only
-- (instant; no row is rewritten).
SET NAMES utf8mb4;

ALTER TABLE package_version STATS_SAMPLE_PAGES = 200;
ALTER TABLE source_package_version STATS_SAMPLE_PAGES = 200;
