"""Alerts: instant emails and webhooks on negative mentions, spikes, digests.

Flow (docs/alerts.md): beat runs `scan` every minute, which claims new negative
mentions and writes Notification rows (the outbox); `send` claims due rows with a
conditional UPDATE and hands each to its channel (transports) once.
"""
