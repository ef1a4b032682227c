-- API keys (issue #14). Portable SQL: runs unchanged on the embedded H2 file database and on PostgreSQL.
-- Only the SHA-256 of each secret is stored; the secret itself is shown once, at creation.
CREATE TABLE api_keys (
    id                  VARCHAR(40)  NOT NULL PRIMARY KEY,
    name                VARCHAR(200) NOT NULL,
    secret_hash         CHAR(64)     NOT NULL,
    secret_prefix       VARCHAR(16)  NOT NULL,
    role                VARCHAR(16)  NOT NULL,
    policy              VARCHAR(200),
    requests_per_minute INTEGER,
    tokens_per_minute   INTEGER,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at          TIMESTAMP WITH TIME ZONE,
    last_used_at        TIMESTAMP WITH TIME ZONE,
    prompt_tokens       BIGINT       DEFAULT 0 NOT NULL,
    completion_tokens   BIGINT       DEFAULT 0 NOT NULL,
    CONSTRAINT api_keys_secret_hash_unique UNIQUE (secret_hash),
    CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'user'))
);

-- What a user key may reach: kind 'model' or 'collection'. No rows of a kind = no restriction of that kind.
CREATE TABLE api_key_scopes (
    key_id VARCHAR(40)  NOT NULL,
    kind   VARCHAR(16)  NOT NULL,
    name   VARCHAR(200) NOT NULL,
    CONSTRAINT api_key_scopes_pk PRIMARY KEY (key_id, kind, name),
    CONSTRAINT api_key_scopes_key_fk FOREIGN KEY (key_id) REFERENCES api_keys (id) ON DELETE CASCADE,
    CONSTRAINT api_key_scopes_kind_check CHECK (kind IN ('model', 'collection'))
);
