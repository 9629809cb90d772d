"""Webhooks a developer can trust: signed JSON deliveries, their log, redelivery and tests.

The Webhook subscription itself and the outbox live in reputation.alerts; this app
writes the JSON document (payload.py), signs it (signing.py), keeps the log of
every delivery attempt and lets an admin redeliver or send a test (deliveries.py).
"""
