"""The functional core: parameters, packs, rule templates, budgets, checks, findings.

Plain Python and Polars. Nothing here imports Django or a shell (CLI, web, io);
an import-linter contract in pyproject.toml keeps it so.
"""
