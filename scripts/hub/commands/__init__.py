"""The `hub` command line (`cli`) and one module per command's body."""
