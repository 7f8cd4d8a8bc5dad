-- Hardening: refused uploads are counted per invite (they cost the server as much as accepted
-- ones), and one pedestal holds at most one exhibit on show, enforced by the database so that
-- two staff approving at once cannot put two exhibits on one pedestal.

ALTER TABLE invites ADD COLUMN failed_uploads INTEGER NOT NULL DEFAULT 0;

-- Older databases may already hold two exhibits on show on one pedestal (the race this
-- closes): the later one goes back to "hidden" and keeps its data.
UPDATE exhibits SET status = 'hidden'
WHERE status = 'approved' AND EXISTS (
    SELECT 1 FROM exhibits AS earlier
    WHERE earlier.room = exhibits.room AND earlier.slot = exhibits.slot
      AND earlier.status = 'approved' AND earlier.id < exhibits.id
);

CREATE UNIQUE INDEX exhibits_one_per_pedestal ON exhibits (room, slot) WHERE status = 'approved';
