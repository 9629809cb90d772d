"""The alerts pages: preferences, webhooks, failures, and the unsubscribe link."""
