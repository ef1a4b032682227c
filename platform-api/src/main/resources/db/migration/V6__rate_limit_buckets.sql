-- Rate-limit token buckets shared by several API nodes (issue #18, llmp.rate-limits.shared=true on
-- PostgreSQL): one row per bucket, its state serialized by Bucket4j. Unused with in-memory buckets.
-- BYTEA is PostgreSQL's binary type; H2 accepts it as a name of BINARY VARYING.
CREATE TABLE rate_limit_buckets (
    id    VARCHAR(200) NOT NULL PRIMARY KEY,
    state BYTEA
);
