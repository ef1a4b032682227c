-- RAG collection metadata (issue #14), formerly NAME/collection.json under the collections directory.
-- The index data itself stays in the collection store (embedded Lucene); this is the catalog of what exists.
CREATE TABLE collections (
    name            VARCHAR(64)  NOT NULL PRIMARY KEY,
    embedding_model VARCHAR(200) NOT NULL,
    dimension       INTEGER      NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT collections_dimension_check CHECK (dimension > 0)
);
