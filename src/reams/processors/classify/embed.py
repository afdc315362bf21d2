"""Static sentence embeddings from the bundled model, with numpy alone (no torch, no download).

The model (``model/``) is a model2vec static model distilled offline from all-MiniLM-L6-v2: one
vector per WordPiece token of MiniLM's uncased vocabulary. A text's embedding is the mean of
its tokens' vectors, L2-normalised. The tokenizer is BERT's (clean, lowercase, strip accents,
split on whitespace and punctuation, CJK characters apart, greedy longest-match WordPiece),
written here so the run time needs no tokenizer package. ``bench/classify/distill_model.py``
regenerates the files; ``model/README.md`` says what they are.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np
import numpy.typing as npt

MODEL_DIR = Path(__file__).resolve().parent / "model"
MAX_WORD_CHARS = 100  # longer "words" are [UNK] in BERT
_UNK = "[UNK]"
_SKIPPED = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")

Vector = npt.NDArray[np.float32]


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2060\ufeff\ufffd]")
_CJK = re.compile(
    "([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df"
    "\U0002a700-\U0002ceaf\U0002f800-\U0002fa1f])"
)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# A word is a run of letters and digits; any other visible character is a token of its own
# (BERT splits on punctuation; symbols such as ® are split here too, which changes little).
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_")


def _clean(text: str) -> str:
    """BERT's normaliser: drop control characters, space out CJK, lowercase, strip accents."""
    text = _CONTROL.sub("", text).lower()
    if text.isascii():
        return text
    text = _CJK.sub(r" \1 ", text)
    return _COMBINING.sub("", unicodedata.normalize("NFD", text))


def _words(text: str) -> list[str]:
    return _TOKEN.findall(_clean(text))


class StaticModel:
    """Token vectors (int8 rows times a per-row scale) and the WordPiece vocabulary."""

    def __init__(self, directory: Path = MODEL_DIR) -> None:
        quantized = np.load(directory / "embeddings.npy")
        scales = np.load(directory / "scales.npy")
        self.vectors: Vector = (quantized.astype(np.float32) * scales[:, None]).astype(np.float32)
        tokens = (directory / "vocab.txt").read_text(encoding="utf-8").split("\n")
        if tokens and tokens[-1] == "":
            tokens.pop()
        if len(tokens) != self.vectors.shape[0]:
            raise ValueError(f"{len(tokens)} tokens but {self.vectors.shape[0]} vectors")
        self.vocab = {token: index for index, token in enumerate(tokens)}
        self.skipped = {self.vocab[t] for t in _SKIPPED if t in self.vocab}
        self.dims = int(self.vectors.shape[1])
        self._word_ids = lru_cache(maxsize=200_000)(self._wordpiece)

    def _wordpiece(self, word: str) -> tuple[int, ...]:
        if len(word) > MAX_WORD_CHARS:
            return ()
        ids: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = -1
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocab.get(piece, -1)
                if found >= 0:
                    break
                end -= 1
            if found < 0:
                return ()  # the whole word is [UNK], which carries no meaning: skip it
            ids.append(found)
            start = end
        return tuple(i for i in ids if i not in self.skipped)

    def token_ids(self, text: str) -> list[int]:
        return list(chain.from_iterable(map(self._word_ids, _words(text))))

    def embed(self, text: str) -> Vector:
        """The L2-normalised mean of the text's token vectors (zeros when it has no token)."""
        ids = self.token_ids(text)
        if not ids:
            return np.zeros(self.dims, dtype=np.float32)
        mean: Vector = self.vectors[np.asarray(ids, dtype=np.int64)].mean(axis=0)
        norm = float(np.linalg.norm(mean))
        return mean / np.float32(norm) if norm > 0 else mean


_LOCK = threading.Lock()
_MODEL: list[StaticModel] = []


def model() -> StaticModel:
    """The process's model, loaded on first use (about 30 MB of float32 in memory)."""
    if not _MODEL:
        with _LOCK:
            if not _MODEL:
                _MODEL.append(StaticModel())
    return _MODEL[0]


def embed(text: str) -> Vector:
    return model().embed(text)
