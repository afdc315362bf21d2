"""The opt-in LLM engine: classify and extract through any OpenAI-compatible chat endpoint.

Configured by :class:`LlmConfig` (``REAMS_LLM_BASE_URL``, ``REAMS_LLM_MODEL``,
``REAMS_LLM_API_KEY``). Requests use structured JSON output, hold the limiter the caller lends
(:mod:`.limits`: the engine's host-wide slots), retry 429 / 5xx / timeouts with backoff and record
token usage per item (:class:`Usage`). Failures raise
:class:`~reams.domain.errors.ProcessorError` with codes ``llm_unavailable``, ``llm_rate_limited``,
``llm_bad_output`` (retryable), ``llm_auth_failed``, ``llm_request_rejected`` and
``llm_misconfigured`` and ``llm_vision_unsupported`` (not retryable).

Long documents are extracted in chunks that fit the model's context and merged
(:mod:`.chunks`, :mod:`.merge`); ``MULTIMODAL`` classification and the ``agentic`` extract tiers
send page images to vision models (:mod:`.vision`, given the document as a
:class:`DocumentSource`).
"""

from __future__ import annotations

from reams.processors.llm.classify import classify_llm
from reams.processors.llm.client import chat_json
from reams.processors.llm.config import LlmConfig
from reams.processors.llm.extract import extract_llm
from reams.processors.llm.usage import Usage
from reams.processors.llm.vision import DocumentSource

__all__ = ["DocumentSource", "LlmConfig", "Usage", "chat_json", "classify_llm", "extract_llm"]
