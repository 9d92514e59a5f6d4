"""The page audit: for each page of docs/, which sentences were checked against which upstream
commits, and what changed (data in ``docs/_audit/``, format in docs/contributing/audit.md)."""
