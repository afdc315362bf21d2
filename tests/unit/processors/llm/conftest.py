"""Transitional: ``test_llm_client.py`` and ``test_llm_slots.py`` still use the fake LLM
server (a listening socket), which is no unit fixture. They move to ``tests/integration``
(whose conftest provides ``llm``) once their pending edits land; this file goes with them."""

from __future__ import annotations

from fixtures_servers import llm

__all__ = ["llm"]
