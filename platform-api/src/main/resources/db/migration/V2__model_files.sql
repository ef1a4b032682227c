-- Model registry metadata (issue #14), formerly the FILE.gguf.llmp sidecar files beside each model.
-- Keyed by the file's name in the registry directory: a model (NAME.gguf) or a partial download
-- (NAME.gguf.part). size and modified_millis are those the sha256 was computed for, so a file replaced by
-- hand is rehashed rather than trusted. Portable SQL: runs unchanged on H2 and PostgreSQL.
CREATE TABLE model_files (
    file_name       VARCHAR(255)  NOT NULL PRIMARY KEY,
    sha256          CHAR(64),
    size_bytes      BIGINT        NOT NULL,
    modified_millis BIGINT        NOT NULL,
    verified        BOOLEAN       NOT NULL,
    source          VARCHAR(1000),
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
