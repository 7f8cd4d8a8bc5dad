-- The exhibition: exhibits, the staff who approve them, their sessions, and exhibitor invites.
-- Portable SQL: runs on SQLite and PostgreSQL.

-- status: pending | approved | rejected | hidden. Files live in the blob store under their
-- content hash (model_blob, thumbnail_blob); a row is written only after its blobs are stored.
CREATE TABLE exhibits (
    id             TEXT    PRIMARY KEY,
    room           TEXT    NOT NULL,
    zone           TEXT    NOT NULL,
    slot           TEXT,
    title_de       TEXT    NOT NULL,
    title_en       TEXT    NOT NULL,
    text_de        TEXT    NOT NULL,
    text_en        TEXT    NOT NULL,
    link           TEXT,
    organisation   TEXT    NOT NULL,
    model_blob     TEXT,
    thumbnail_blob TEXT,
    images         TEXT    NOT NULL,
    report         TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    reject_reason  TEXT,
    invite_id      TEXT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX exhibits_room_status ON exhibits (room, status);

CREATE TABLE staff_users (
    username      TEXT   PRIMARY KEY,
    password_hash TEXT   NOT NULL,
    created_at    BIGINT NOT NULL
);

-- Only hashes of session and invite tokens are stored: a leaked database opens no doors.
CREATE TABLE staff_sessions (
    token_hash TEXT   PRIMARY KEY,
    username   TEXT   NOT NULL,
    csrf       TEXT   NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE invites (
    id          TEXT    PRIMARY KEY,
    token_hash  TEXT    NOT NULL UNIQUE,
    label       TEXT    NOT NULL,
    room        TEXT    NOT NULL,
    created_by  TEXT    NOT NULL,
    expires_at  BIGINT  NOT NULL,
    max_uploads INTEGER NOT NULL,
    uploads     INTEGER NOT NULL,
    revoked     INTEGER NOT NULL,
    created_at  BIGINT  NOT NULL
);
