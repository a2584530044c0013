"""Stage 3: every generated page as Markdown from Jinja templates, and the open data files.
Pure: nothing here touches the disk."""
