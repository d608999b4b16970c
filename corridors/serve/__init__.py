"""Serving the dashboard to many people at once: processes, reverse proxy, load test."""
