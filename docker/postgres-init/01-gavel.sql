-- Runs once, when the postgresql volume is first initialised (docker-entrypoint-initdb.d).
-- Temporal owns the `temporal` and `temporal_visibility` databases; the app gets its own
-- role and database, matching DATABASE_URL in temporal-compose.yml.
CREATE ROLE gavel WITH LOGIN PASSWORD 'gavel';
CREATE DATABASE gavel OWNER gavel;
