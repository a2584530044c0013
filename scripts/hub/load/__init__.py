"""Stage 1: files read safely and YAML parsed into plain trees of strings with positions."""
