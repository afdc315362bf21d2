"""Fixtures for the integration tier: a real server per module, a Temporal dev server per
session and a fake LLM endpoint per test (all defined once in ``fixtures_servers.py``)."""

from __future__ import annotations

from fixtures_servers import llm, server, temporal_server

__all__ = ["llm", "server", "temporal_server"]
