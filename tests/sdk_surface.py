"""The public surface of the installed `llama_cloud` SDK: every resource method and its parameters.

Standard library only, so it runs in any environment that has some `llama-cloud` installed
(the main venv pins 2.13.0, `.venv-sdk219` has 2.19.0)::

    python tests/sdk_surface.py            # the resources reams cares about, one line per method
    python tests/sdk_surface.py --json     # the same as JSON (with the HTTP verb and path)
    python tests/sdk_surface.py --all      # every resource of the client

The resource tree is walked generically (each `cached_property` of a client or resource that
yields an `APIResource`), so a new SDK release shows its new resources and methods without a
change here. The HTTP verb and path are read off each method's source (`self._get("/api/...")`).
"""

from __future__ import annotations

import argparse
import functools
import inspect
import json
import re
import sys
from collections.abc import Iterator
from typing import Any

# Resources reams serves or plans to serve; descendants of each are included.
IN_SCOPE = (
    "batches",
    "configurations",
    "webhook_configs",
    "parsing",
    "classify",
    "extract",
    "files",
    "beta.directories",
    "beta.directories.files",
    "projects",
    # 2.13 and older only
    "beta.batch",
    "beta.batch.job_items",
    "classifier",
    "classifier.jobs",
)
SKIPPED_PROPERTIES = frozenset({"with_raw_response", "with_streaming_response"})
# Keyword arguments every generated method takes; left out of the listing.
COMMON_PARAMS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})

_HTTP_CALL = re.compile(
    r"self\._(get_api_list|get|post|put|patch|delete)\(\s*"
    r"(?:path_template\(\s*)?(f?\"[^\"]*\"|'[^']*')",
)


def _cached_properties(cls: type) -> Iterator[str]:
    seen: set[str] = set()
    for klass in cls.__mro__:
        for name, attr in vars(klass).items():
            if name in seen or name.startswith("_") or name in SKIPPED_PROPERTIES:
                continue
            if isinstance(attr, functools.cached_property | property):
                seen.add(name)
                yield name


def walk(obj: Any, prefix: str, resource_base: type) -> Iterator[tuple[str, Any]]:
    """(dotted path, resource) for every resource below ``obj``, depth first, sorted."""
    for name in sorted(_cached_properties(type(obj))):
        try:
            child = getattr(obj, name)
        except Exception:  # a property that needs more than the client has
            continue
        if isinstance(child, resource_base):
            path = f"{prefix}{name}"
            yield path, child
            yield from walk(child, f"{path}.", resource_base)


def _http(func: Any) -> list[dict[str, str]]:
    """Every request the method's own source makes (helpers such as ``run`` make none)."""
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return []
    calls = []
    for verb, path in _HTTP_CALL.findall(source):
        calls.append(
            {
                "verb": "GET" if verb == "get_api_list" else verb.upper(),
                "path": path.lstrip("f").strip("\"'"),
            }
        )
    return calls


def _param(p: inspect.Parameter) -> dict[str, Any]:
    annotation = p.annotation if isinstance(p.annotation, str) else repr(p.annotation)
    return {
        "name": p.name,
        "kind": "positional" if p.kind is p.POSITIONAL_OR_KEYWORD else "keyword",
        "required": p.default is inspect.Parameter.empty,
        "annotation": annotation,
    }


def methods(resource: Any) -> dict[str, dict[str, Any]]:
    """Public methods of a resource: parameters (minus the common ones) and the HTTP call."""
    out: dict[str, dict[str, Any]] = {}
    props = set(_cached_properties(type(resource))) | SKIPPED_PROPERTIES
    for name, func in inspect.getmembers(type(resource), inspect.isfunction):
        if name.startswith("_") or name in props:
            continue
        params = [
            _param(p)
            for p in inspect.signature(func).parameters.values()
            if p.name != "self" and p.name not in COMMON_PARAMS
        ]
        out[name] = {"params": params, "http": _http(func)}
    return out


def in_scope(path: str) -> bool:
    return any(path == root or path.startswith(f"{root}.") for root in IN_SCOPE)


def surface(everything: bool = False) -> dict[str, Any]:
    import llama_cloud
    from llama_cloud._resource import SyncAPIResource

    client = llama_cloud.LlamaCloud(api_key="x", base_url="http://127.0.0.1:9")
    resources = {
        path: methods(res)
        for path, res in walk(client, "", SyncAPIResource)
        if everything or in_scope(path)
    }
    absent = [r for r in IN_SCOPE if r not in resources]
    return {"version": llama_cloud.__version__, "resources": resources, "absent": absent}


def _line(path: str, name: str, info: dict[str, Any]) -> str:
    params = ", ".join(
        p["name"] + ("" if p["required"] else "?") + ("" if p["kind"] == "keyword" else "/")
        for p in info["params"]
    )
    calls = " | ".join(f"{c['verb']} {c['path']}" for c in info["http"])
    where = f"  [{calls}]" if calls else ""
    return f"{path}.{name}({params}){where}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--all", action="store_true", help="every resource, not only in-scope")
    args = parser.parse_args(argv)
    data = surface(everything=args.all)
    if args.json:
        json.dump(data, sys.stdout, indent=2, sort_keys=True)
        print()
        return 0
    print(f"# llama_cloud {data['version']}  (name? = optional, name/ = positional)")
    for path, meths in data["resources"].items():
        for name, info in sorted(meths.items()):
            print(_line(path, name, info))
    if data["absent"]:
        print(f"# absent in this version: {', '.join(data['absent'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
