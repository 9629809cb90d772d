"""Protections of the service and its accounts (issue 9): login throttling, roles,
passwords, sessions, Content-Security-Policy. See README, "Security"."""
