"""REANA domain layer: connections, the async REST client, logs, workspace transfers.

No tornado here: handlers call these objects and map their domain errors to HTTP.
"""
