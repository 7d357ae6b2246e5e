\echo Use "ALTER EXTENSION pg_kyc UPDATE" to load this file. \quit
-- pg_kyc 0.2.0 -> 0.3.0. 0.2.0 is frozen in extension/released/; the 0.3.0 install script is the
-- concatenation of extension/parts/. This update script is the concatenation of the files beside
-- this one, in name order: each change to a part since 0.2.0 has its step in one of them
-- (CREATE OR REPLACE FUNCTION, ALTER TABLE, new catalog rows, grants, comments), so that an
-- updated database equals a fresh install: tests/scripts/upgrade.sh compares the two. Qualify
-- every name as the parts do; the search_path of ALTER EXTENSION is not to be trusted.
