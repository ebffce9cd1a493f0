"""Notifications of organisations: e-mail digests and alerts, signed webhooks, and their durable outbox."""
