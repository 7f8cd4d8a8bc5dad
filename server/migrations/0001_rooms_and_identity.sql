-- Portable SQL: runs on SQLite (the embedded default) and PostgreSQL.

-- The server's own secrets; one row. The netcode key signs connect tokens and never leaves
-- the server.
CREATE TABLE server_identity (
    id          INTEGER PRIMARY KEY,
    netcode_key TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

-- Rooms the server hosts; seeded from scenes/*.toml at every start.
CREATE TABLE rooms (
    name       TEXT    PRIMARY KEY,
    scene      TEXT    NOT NULL,
    title_de   TEXT    NOT NULL,
    title_en   TEXT    NOT NULL,
    capacity   INTEGER NOT NULL,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);
