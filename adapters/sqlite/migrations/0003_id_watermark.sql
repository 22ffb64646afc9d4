-- Schema version 3: the highest sequential id number (`prefix_N`) ever stored, so that a
-- portfolio reopened after deleting its newest loan never issues that loan's id again.

CREATE TABLE id_watermark (
    singleton  INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
    highest    INTEGER NOT NULL CHECK (highest >= 0)
) STRICT;

INSERT INTO id_watermark (singleton, highest) VALUES (1, 0);
