"""The REST API under /api/v1/: keys, resources, problem details (issue 19)."""
