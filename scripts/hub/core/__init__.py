"""The bottom of the package: what every stage uses and nothing of the hub's own is imported
by (where things are, problems, progress lines, the project lock, worker processes)."""
