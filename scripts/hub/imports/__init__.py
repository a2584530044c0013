"""Reference data rebuilt from public files with their source recorded (`hub import-…`)."""
