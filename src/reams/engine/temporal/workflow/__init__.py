"""Temporal workflow code: deterministic, replayed, importing nothing with I/O.

``contracts`` holds the activity and workflow inputs (ids only); ``batch`` the batch-job
workflow. import-linter checks that nothing in this package imports the rest of reams.
"""
