-- Which kinds of pre-database files (model sidecars, collection manifests, JSONL audit trail) were imported
-- into the tables above. A row is written in the same transaction as the import, so each kind is imported
-- exactly once, also when several API nodes start together on one database (the primary key decides).
CREATE TABLE file_imports (
    kind        VARCHAR(40)  NOT NULL PRIMARY KEY,
    imported_at TIMESTAMP WITH TIME ZONE NOT NULL,
    items       INTEGER      NOT NULL
);
