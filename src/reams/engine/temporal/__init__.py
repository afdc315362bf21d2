"""The Temporal engine: one workflow per batch job, item work in activities, workers anywhere.

``contracts`` (names and payloads) · ``workflows`` (deterministic orchestration, no I/O) ·
``activities`` (store and processors) · ``worker`` (``reams worker``) · ``engine`` (the API
side: starts and cancels workflows). Importing this package imports none of them.
"""
