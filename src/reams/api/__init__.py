"""The HTTP API: FastAPI app factory, dependencies, one error table, one router per resource."""
