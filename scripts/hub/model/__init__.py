"""Stage 2: the case-study format (schema, values, validation), the records it produces, the
reference data, and the catalogue of who did what that every page reads."""
