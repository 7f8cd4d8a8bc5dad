-- Printable models: the file as uploaded (never changed, offered for download), the repaired
-- copy, the licence the exhibitor chose and the printability report.

CREATE TABLE printables (
    exhibit_id     TEXT    PRIMARY KEY,
    -- Blob key of the original file, and the name it was uploaded under.
    file_blob      TEXT    NOT NULL,
    file_name      TEXT    NOT NULL,
    -- stl-binary, stl-ascii, 3mf, obj
    format         TEXT    NOT NULL,
    -- Blob key of the repaired copy (binary STL); none when nothing needed repair.
    repaired_blob  TEXT,
    -- cc-by-4.0, cc-by-sa-4.0, cc0-1.0, all-rights-reserved
    licence        TEXT    NOT NULL,
    -- The printability report (JSON).
    report         TEXT    NOT NULL
);
