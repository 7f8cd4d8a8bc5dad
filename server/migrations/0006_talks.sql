-- Talks: slide decks (rendered pages, stored as blobs) and the programme of talks.

CREATE TABLE slide_decks (
    id          TEXT    PRIMARY KEY,
    title       TEXT    NOT NULL,
    -- The pages' blob keys in order, as a JSON array of strings.
    pages       TEXT    NOT NULL,
    created_by  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE talks (
    id              TEXT    PRIMARY KEY,
    room            TEXT    NOT NULL,
    title_de        TEXT    NOT NULL,
    title_en        TEXT    NOT NULL,
    speaker         TEXT    NOT NULL,
    description_de  TEXT    NOT NULL,
    description_en  TEXT    NOT NULL,
    starts_at       BIGINT  NOT NULL,
    ends_at         BIGINT  NOT NULL,
    -- The slides its start loads (none: the screen shows the talk's title).
    deck_id         TEXT,
    created_by      TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX talks_window ON talks (ends_at);
