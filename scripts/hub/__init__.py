"""The children's services practice hub: case studies in YAML, built into a website.

The package's folders are the pipeline's stages, each importing only those below it
(`make test` checks this with import-linter; see the contracts in pyproject.toml):

    commands   the `hub` command line: one module per command
    pipeline   check and generate: practice/ to docs/, in the order the stages run
    publish    MkDocs into a scratch folder, the scan, the search index, the swap into site/
    derived    files made from the case-study format: field reference, issue form
    imports    reference data rebuilt from public files (DfE, Ofsted)
    write      generated pages into docs/, only what changed; the no-change record
    render     Markdown pages and open data from Jinja templates; the escaping filter
    model      the format (schema, values, validation), records, reference data, catalogue
    load       files read safely, YAML parsed into plain trees, the character policy
    core       where things are (Project), problems, progress, locking, worker processes
"""
