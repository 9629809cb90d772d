"""Reports: CSV export of mentions, the monthly management report (HTML and PDF)."""
