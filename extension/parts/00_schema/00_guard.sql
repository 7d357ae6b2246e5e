-- pg_kyc install script, concatenated from extension/parts/ by the Makefile. Do not edit the
-- generated extension/pg_kyc--<version>.sql; edit the part.

\echo Use "CREATE EXTENSION pg_kyc" to load this file. \quit
