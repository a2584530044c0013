"""Stage 5: MkDocs builds docs/ into a scratch folder, the scan checks it, Pagefind indexes it,
and only then does it become site/."""
