"""The test suite: one flat folder on purpose.

Test files are named after the module or stage they test (test_fetch*.py for
monitoring/net/fetch.py, test_feeds*.py for monitoring/parse/feeds.py, test_views_*.py for
the product's views...) rather than mirrored in sub-folders: several branches add test
files here in parallel, and moving every file at once would turn each of their merges
into rename conflicts, while the imports `tests.base`, `tests.httpserver`, `tests.worker`
and `tests.shared` and the `--ignore=tests/test_browser.py` the scripts use would have to
move with them. Mirror the layout when the parallel work has landed.
"""
