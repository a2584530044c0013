"""Files made from the case-study format for contributors and their editors: the field
reference in CONTRIBUTING.md and the GitHub issue form (`hub schema`)."""
