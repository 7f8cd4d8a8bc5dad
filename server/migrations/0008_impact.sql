-- Impact counts: totals per day and room, and per day and exhibit. Nothing here says who
-- anyone was: no names, addresses, sessions or device keys; unique visitors are counted in
-- memory with a keyed hash whose key rotates daily and is never stored (see impact/).

CREATE TABLE impact_room_days (
    day                TEXT   NOT NULL,
    room               TEXT   NOT NULL,
    visitors           BIGINT NOT NULL,
    joins              BIGINT NOT NULL,
    joins_phone        BIGINT NOT NULL,
    joins_computer     BIGINT NOT NULL,
    joins_app          BIGINT NOT NULL,
    joins_udp          BIGINT NOT NULL,
    joins_webtransport BIGINT NOT NULL,
    joins_websocket    BIGINT NOT NULL,
    PRIMARY KEY (day, room)
);

CREATE TABLE impact_exhibit_days (
    day           TEXT   NOT NULL,
    exhibit       TEXT   NOT NULL,
    -- Whole seconds people stood near the exhibit, summed over everyone.
    seconds_near  BIGINT NOT NULL,
    downloads     BIGINT NOT NULL,
    -- Inspect views opened (each visit counts an exhibit once).
    inspects      BIGINT NOT NULL,
    -- Star ratings and the sum of their stars (mean = stars / ratings).
    ratings       BIGINT NOT NULL,
    stars         BIGINT NOT NULL,
    PRIMARY KEY (day, exhibit)
);

-- Comments that came with ratings: the text, the day and the stars, for staff only; no name,
-- no time of day. Deleted after `[impact] keep_comments_days`.
CREATE TABLE feedback_comments (
    id       TEXT   PRIMARY KEY,
    day      TEXT   NOT NULL,
    exhibit  TEXT   NOT NULL,
    stars    BIGINT NOT NULL,
    text     TEXT   NOT NULL
);

-- One row per talk that ran: when, how long, how many listened (no names).
CREATE TABLE impact_talks (
    id               TEXT   PRIMARY KEY,
    day              TEXT   NOT NULL,
    room             TEXT   NOT NULL,
    -- Start, UTC, HH:MM.
    started          TEXT   NOT NULL,
    minutes          BIGINT NOT NULL,
    peak_listeners   BIGINT NOT NULL,
    -- Mean listeners over the talk, times 10 (one decimal).
    mean_listeners10 BIGINT NOT NULL,
    listener_minutes BIGINT NOT NULL,
    -- Different people who raised a hand, and questions written.
    hands_raised     BIGINT NOT NULL,
    questions_asked  BIGINT NOT NULL,
    -- Listeners per minute, comma-separated: the attendance curve.
    curve            TEXT   NOT NULL
);

-- One row per class visit, counted as a class, never per pupil.
CREATE TABLE impact_class_visits (
    id        TEXT   PRIMARY KEY,
    day       TEXT   NOT NULL,
    scene     TEXT   NOT NULL,
    -- Most pupils inside at once (the guide and staff not counted).
    pupils    BIGINT NOT NULL,
    minutes   BIGINT NOT NULL,
    -- Different exhibits pupils stood at.
    exhibits  BIGINT NOT NULL
);
