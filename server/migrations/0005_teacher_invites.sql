-- Teacher invites: staff hand a teacher a link with which the teacher plans class visits
-- without a staff account. An invite is for an exhibitor (uploads) or a teacher (visits);
-- its `max_uploads`/`uploads` count what it allows and what was used, of either kind.
ALTER TABLE invites ADD COLUMN kind TEXT NOT NULL DEFAULT 'exhibitor';
-- The invite a visit was planned with (none when staff planned it): a teacher sees their own.
ALTER TABLE class_visits ADD COLUMN invite_id TEXT;
