"""Export, import and CSV of assessments.

The pure core (no Flask, no database): `document` (the `assess/assessment@1` JSON),
`validate` (reading it back), `spreadsheet` (CSV). `store` reads and writes the database;
`views` is the blueprint. This package's own import loads nothing else.
"""
