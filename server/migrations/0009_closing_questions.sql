-- After a talk: its closing question, the answers counted per talk, the head count of the
-- physical hall, and free answers for staff (no names; deleted like comments).

ALTER TABLE talks ADD COLUMN closing_question TEXT;

-- The talk's title from the programme (empty for a talk started by hand).
ALTER TABLE impact_talks ADD COLUMN title TEXT NOT NULL DEFAULT '';
-- The largest head count the lab's console reported for the physical hall.
ALTER TABLE impact_talks ADD COLUMN on_site BIGINT NOT NULL DEFAULT 0;
-- Answers to "Hast du etwas Neues erfahren?".
ALTER TABLE impact_talks ADD COLUMN learned_yes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE impact_talks ADD COLUMN learned_a_little BIGINT NOT NULL DEFAULT 0;
ALTER TABLE impact_talks ADD COLUMN learned_no BIGINT NOT NULL DEFAULT 0;

-- Free answers to a talk's own closing question: the text, the day, the talk and the
-- question, for staff only; no name, no time of day. Deleted after `[impact] keep_comments_days`.
CREATE TABLE talk_answers (
    id        TEXT   PRIMARY KEY,
    day       TEXT   NOT NULL,
    talk      TEXT   NOT NULL,
    title     TEXT   NOT NULL,
    question  TEXT   NOT NULL,
    text      TEXT   NOT NULL
);
