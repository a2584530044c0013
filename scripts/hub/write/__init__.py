"""Stage 4: generated pages into docs/, only what changed, all or nothing; and the record
that lets the next run skip when nothing changed."""
