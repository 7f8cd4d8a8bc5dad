-- Rooms at runtime, roles and moderation: class visits (private instances of a scene with an
-- access code), bans that survive restarts, an audit log of moderation, and visitors' reports.

CREATE TABLE class_visits (
    id              TEXT    PRIMARY KEY,
    title           TEXT    NOT NULL,
    -- The public room whose scene and exhibition the visit's private instance shows.
    room            TEXT    NOT NULL,
    starts_at       BIGINT  NOT NULL,
    ends_at         BIGINT  NOT NULL,
    capacity        INTEGER NOT NULL,
    language        TEXT    NOT NULL,
    -- Normalised (no dash); shown as K7P-M4Q.
    code            TEXT    NOT NULL,
    -- SHA-256 of the guide's secret key; the key is only in the guide link.
    guide_key_hash  TEXT    NOT NULL,
    created_by      TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX class_visits_window ON class_visits (ends_at);

-- Keyed on what the server can know: the device key's hash and the network (/64 for IPv6).
-- The name is kept so that staff can recognise the entry; it is not a key.
CREATE TABLE bans (
    id          TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL,
    device_hash TEXT,
    network     TEXT,
    reason      TEXT    NOT NULL,
    banned_by   TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    lifted_by   TEXT,
    lifted_at   BIGINT
);

CREATE TABLE audit_log (
    id          TEXT    PRIMARY KEY,
    at          BIGINT  NOT NULL,
    room        TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    actor_role  TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    reason      TEXT    NOT NULL
);

CREATE TABLE reports (
    id          TEXT    PRIMARY KEY,
    at          BIGINT  NOT NULL,
    room        TEXT    NOT NULL,
    reporter    TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    -- The room's last chat lines when the report was made, as JSON [[name, text], ...].
    chat        TEXT    NOT NULL
);
