"""Wire models: the JSON the API speaks, field by field as in the LlamaCloud spec.

Shared by the server (``reams.api``) and the typed client (``reams.client``); pydantic only, so
importing them pulls in nothing of the server.
"""
