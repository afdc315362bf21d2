"""The rapidocr engine (PP-OCRv4 on ONNX Runtime), tuned for document pages.

rapidocr's own pipeline detects and recognises text at one resolution. Here text is *detected* on
the page scaled to :data:`DETECT_SIDE` pixels and *recognised* from crops of the full-resolution
page. On the invoice corpus that reads 94% of the words instead of 70% (detection at low
resolution finds whole lines, spaces included; recognition from sharp crops reads small print)
and costs half the time: detection is the part whose cost grows with the pixels.

The three models run as loaded by rapidocr, except that their graphs are rewritten (:mod:`fuse`):
hard-swish activations in two operations instead of four, and the scalar affines around every
convolution folded into its weights, which makes the recogniser a third faster than as shipped
(and, in the detector, the normalization after its upsampling and the ``x + x * gate`` of its
neck made cheaper).

With ``REAMS_OCR_INT8=on`` (or ``auto``, on a CPU with VNNI) the recogniser's convolutions run in
8 bits (:mod:`quant`): about a sixth less CPU per invoice page, at the same word F1 on the OCR
benchmark on average, but which pages gain and which lose depends on the calibration sample
(``bench/ocr_calibrate.py --check``), so it is off by default.

ONNX Runtime runs one thread, and lines are recognised one at a time: a worker pool already runs
a process per core, so more threads only contend, and batching lines pads short ones to the width
of long ones (measured: 2.5 instead of 3.7 CPU seconds per dense page).

Each line is recognised at its own width, enlarged with Lanczos where the print is small, and
decoded here from the recogniser's per-step probabilities (:mod:`ctc`), which puts back the word
spaces the model drops and reads lone CJK glyphs on a Latin page as Latin letters.

rapidocr straightens each line it reads (its classifier turns upside-down crops, and tall crops
are read turned), but reports boxes in the image as given. A page scanned sideways or upside down
would then be read in the wrong order, so the page's orientation is found from the shape of its
boxes and the classifier's verdicts, and every box is mapped into the upright page before layout.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from reams.processors.parse.ocr.ctc import (
    HEIGHT,
    STEP,
    Alphabet,
    Reading,
    ink_extent,
    is_latin_page,
    line_ink,
    line_text,
    read_steps,
)
from reams.processors.parse.ocr.lines import TextBox

if TYPE_CHECKING:
    from PIL.Image import Image

logger = logging.getLogger(__name__)

DETECT_SIDE = 1200  # pixels: longer side of the image text is detected on
_MAX_ASPECT = 8.0  # detection sees strips no longer than this; longer ones are padded
_MIN_REC_WIDTH = STEP  # pixels: the narrowest line image the recogniser is given
_MAX_REC_WIDTH = 8000  # pixels: a wider line is squeezed (a page-wide line at 48 px is ~3,000)
_TRIM = 8  # pixels: margin kept either side of a line's ink (the detector's boxes are wider)
_FUSED_TOLERANCE = 1e-3  # largest difference of any output of the fused graph on a sample
_INT8_SUM_TOLERANCE = 1e-2  # an 8-bit recogniser's per-step probabilities must sum to 1 +- this
_VOTERS = 24  # lines at most whose orientation the classifier is asked for
_VERTICAL = 1.5  # height / width of a box read as turned text (rapidocr's own threshold)

Found = tuple[Any, str]  # (4 corner points in page pixels, text)


class RapidOcrEngine:
    """rapidocr with two-resolution reading and page orientation; an :class:`OcrEngine`."""

    name = "rapidocr"

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self._ocr = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, rec_batch_num=1)
        for holder in (self._ocr.text_det.infer, self._ocr.text_cls.infer):
            holder.session = _fused_session(holder.session)
        rec = self._ocr.text_rec.session
        rec.session = _fused_session(rec.session, int8=_int8_wanted())
        recogniser = self._ocr.text_rec
        self._session = recogniser.session
        self._alphabet = Alphabet(list(recogniser.postprocess_op.character))

    def recognise(self, image: Image) -> list[TextBox]:
        import cv2
        import numpy as np

        rgb = image if image.mode == "RGB" else image.convert("RGB")
        pixels = cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2BGR)  # as the models expect
        boxes = self._detect(pixels)
        if not boxes:
            return []
        crops = self._ocr.get_crop_img_list(pixels, boxes)
        flipped = self._upside_down(crops)
        found = self._recognise(boxes, crops, flipped=flipped)
        turn = _turn([points for points, _ in found], flipped=flipped)
        return [_upright(points, text, turn=turn, size=rgb.size) for points, text in found]

    def _upside_down(self, crops: list[Any]) -> bool:
        """Whether most of the page's text is upside down, by the classifier's weighted vote.

        Decided for the whole page: on a turned scan the classifier is sure of short words but
        often unsure of long lines, which it would then leave upside down. The vote is taken on
        at most :data:`_VOTERS` lines spread over the page: a page's lines share its orientation,
        and asking about every line of a dense page costs more than detecting them.
        """
        if len(crops) > _VOTERS:
            step = len(crops) / _VOTERS
            crops = [crops[int(index * step)] for index in range(_VOTERS)]
        _, verdicts, _ = self._ocr.text_cls(crops)
        vote = 0.0
        for crop, (label, score) in zip(crops, verdicts, strict=True):
            weight = float(score) * crop.shape[1]
            vote += weight if "180" in str(label) else -weight
        return vote > 0

    def _recognise(self, boxes: list[Any], crops: list[Any], *, flipped: bool) -> list[Found]:
        import cv2

        if flipped:
            crops = [cv2.rotate(crop, cv2.ROTATE_180) for crop in crops]
        readings = [self._read(crop) for crop in crops]
        latin = is_latin_page(readings, self._alphabet)
        found: list[Found] = []
        for points, reading in zip(boxes, readings, strict=True):
            text, score = line_text(reading, self._alphabet, latin_page=latin)
            text = " ".join(text.split())
            if text and score >= self._ocr.text_score:
                found.append((points, text))
        return found

    def _read(self, crop: Any) -> Reading:
        """One line image through the recogniser, at its own width: padding every line to a
        common width (rapidocr pads to 320 pixels) costs a fifth more on a page of invoice
        fields and labels, and reads no better."""
        import cv2

        height, width = crop.shape[:2]
        scaled = max(1, min(_MAX_REC_WIDTH, round(HEIGHT * width / max(height, 1))))
        # Small print is enlarged with Lanczos: the recogniser's own bilinear enlargement blurs
        # the spaces between words away.
        interpolation = cv2.INTER_LANCZOS4 if height < HEIGHT else cv2.INTER_AREA
        line = cv2.resize(crop, (scaled, HEIGHT), interpolation=interpolation)
        grey = cv2.cvtColor(line, cv2.COLOR_BGR2GRAY)
        left, right = ink_extent(grey)  # the recogniser's cost is in the pixels it reads
        left, right = max(0, left - _TRIM), min(scaled, right + _TRIM)
        if right - left >= STEP:
            line, grey = line[:, left:right], grey[:, left:right]
        ink = line_ink(grey)
        return read_steps(self._steps(line), ink, self._alphabet)

    def _steps(self, line: Any) -> Any:
        """The recogniser's per-step probabilities for a 48-pixel-high line image."""
        import numpy as np

        width = line.shape[1]
        steps = -(-width // STEP)
        padded = max(steps * STEP, _MIN_REC_WIDTH)
        batch = np.zeros((1, 3, HEIGHT, padded), dtype=np.float32)  # 0 is mid-grey
        batch[0, :, :, :width] = line.transpose(2, 0, 1).astype(np.float32) / 127.5 - 1.0
        return self._session(batch)[0][0][:steps]

    def _detect(self, pixels: Any) -> list[Any]:
        """Text boxes found on the page scaled down to DETECT_SIDE, in full-page pixels."""
        import cv2
        import numpy as np

        height, width = pixels.shape[:2]
        ratio = min(1.0, DETECT_SIDE / max(height, width))
        small = pixels
        if ratio < 1.0:
            size = (max(1, round(width * ratio)), max(1, round(height * ratio)))
            small = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
        boxes = self._boxes(_pad_strip(small))
        if boxes is None or len(boxes) == 0:
            return []
        return [np.asarray(box, dtype=np.float32) / ratio for box in boxes]

    def _boxes(self, image: Any) -> Any:
        """rapidocr's detection of ``image`` (its TextDetector call), with the image normalised
        in single precision: rapidocr's own normalisation computes in double precision, which
        costs a tenth of the detection of a page."""
        import numpy as np

        detector = self._ocr.text_det
        shape = image.shape[:2]
        preprocess = detector.get_preprocess(max(shape))
        resized = preprocess.resize(image)
        if resized is None:
            return None
        std = np.asarray(preprocess.std, dtype=np.float32)
        scale = np.float32(preprocess.scale) / std
        offset = np.asarray(preprocess.mean, dtype=np.float32) / std
        normalised = resized.astype(np.float32) * scale - offset
        batch = np.ascontiguousarray(normalised.transpose(2, 0, 1)[np.newaxis])
        boxes, _ = detector.postprocess_op(detector.infer(batch)[0], shape)
        return detector.filter_tag_det_res(boxes, shape)


def _int8_wanted() -> bool:
    """Whether ``REAMS_OCR_INT8`` asks for the 8-bit recogniser (:mod:`quant`): ``on``, ``auto``
    (where the CPU has VNNI, which makes 8-bit convolutions the faster) or ``off`` (the
    default: its word F1 equals the float recogniser's on the benchmark with the shipped ranges,
    but six calibrations on halves of the dev documents moved it by -0.011 to +0.008 per set,
    two to three times what 2 grey levels of noise on the lines do, so it is not yet trusted on
    documents outside the corpus)."""
    import os

    from reams.processors.parse.ocr.quant import cpu_has_vnni

    mode = os.environ.get("REAMS_OCR_INT8", "off").strip().lower()
    if mode not in ("auto", "on", "off"):
        raise ValueError(f"REAMS_OCR_INT8 must be auto, on or off, not {mode!r}")
    return mode == "on" or (mode == "auto" and cpu_has_vnni())


def _fused_session(session: Any, *, int8: bool = False) -> Any:
    """A session of ``session``'s model with its hard-swish activations fused (:mod:`fuse`),
    if that model has them and the fused copy reads a sample as the original does; else
    ``session`` itself. ``int8``: with its convolutions in 8 bits too (:mod:`quant`), where
    ranges were measured for this model; that copy must give probabilities on the sample (it
    cannot match floats to 1e-3), else the float fused copy is used."""
    import numpy as np
    import onnxruntime as ort

    from reams.processors.parse.ocr.fuse import fused_model

    path = getattr(session, "_model_path", None)
    try:
        with open(str(path), "rb") as model:
            model_bytes = model.read()
        fused, count = fused_model(model_bytes)
        quantized = False
        if int8:
            fused, quantized = _quantized(fused, model_bytes)
        if count == 0:
            return session
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.enable_cpu_mem_arena = False
        options.log_severity_level = 3  # the rewritten graph leaves unused constants: no warnings
        faster = ort.InferenceSession(fused, options, providers=session.get_providers())
        shape = session.get_inputs()[0].shape
        size = [1, 3, *(dim if isinstance(dim, int) else 64 for dim in shape[2:4])]
        sample = np.random.default_rng(0).random(size, dtype=np.float32) * 2 - 1
        name = session.get_inputs()[0].name
        expected, got = session.run(None, {name: sample})[0], faster.run(None, {name: sample})[0]
        if quantized:  # 8 bits read a noise sample differently: it must still give probabilities
            sums = got.sum(axis=-1)
            if expected.shape != got.shape or not np.all(np.abs(sums - 1) <= _INT8_SUM_TOLERANCE):
                logger.warning("the 8-bit copy of %s reads no probabilities; using floats", path)
                return _fused_session(session)
        elif expected.shape != got.shape or float(np.abs(expected - got).max()) > _FUSED_TOLERANCE:
            logger.warning("the fused copy of %s reads differently; using the original", path)
            return session
        return faster
    except Exception:  # a model in another form: the original works, only slower
        if int8:
            logger.warning("could not quantize %s; using floats", path, exc_info=True)
            return _fused_session(session)
        logger.warning("could not fuse the activations of %s", path, exc_info=True)
        return session


def _quantized(fused: bytes, original: bytes) -> tuple[bytes, bool]:
    """``fused`` with its convolutions in 8 bits (:mod:`quant`) where the shipped activation
    ranges were measured on this model, and whether it is."""
    import hashlib

    from reams.processors.parse.ocr.quant import load_ranges, quantized_model

    ranges = load_ranges()
    if ranges.model_sha256 != hashlib.sha256(original).hexdigest():
        return fused, False
    model, count = quantized_model(fused, ranges.tensors)
    return model, count > 0


def _pad_strip(pixels: Any) -> Any:
    """A long thin image padded with white, as the detector upscales its short side to 736 px."""
    import cv2

    height, width = pixels.shape[:2]
    if width > _MAX_ASPECT * height:
        bottom, right = int(width / _MAX_ASPECT) - height, 0
    elif height > _MAX_ASPECT * width:
        bottom, right = 0, int(height / _MAX_ASPECT) - width
    else:
        return pixels
    white = (255, 255, 255)
    return cv2.copyMakeBorder(pixels, 0, bottom, 0, right, cv2.BORDER_CONSTANT, value=white)


def _turn(boxes: list[Any], *, flipped: bool) -> int:
    """How far the page's text is turned clockwise: 0, 90, 180 or 270 degrees."""
    if _mostly_vertical(boxes):
        # A tall crop is read after a quarter turn anticlockwise; upright then means the
        # page's text runs top to bottom (turned clockwise).
        return 270 if flipped else 90
    return 180 if flipped else 0


def _mostly_vertical(boxes: list[Any]) -> bool:
    # Weighted by size, and only over boxes well longer than tall in one direction or the
    # other: a lone digit is tall in any orientation.
    tall = wide = 0.0
    for points in boxes:
        width = points[:, 0].max() - points[:, 0].min()
        height = points[:, 1].max() - points[:, 1].min()
        if height >= _VERTICAL * max(width, 1.0):
            tall += height
        elif width >= _VERTICAL * max(height, 1.0):
            wide += width
    return tall > wide


def _upright(points: Any, text: str, *, turn: int, size: tuple[int, int]) -> TextBox:
    width, height = size
    xs, ys = points[:, 0], points[:, 1]
    if turn == 90:
        xs, ys = ys, width - xs
    elif turn == 180:
        xs, ys = width - xs, height - ys
    elif turn == 270:
        xs, ys = height - ys, xs
    return TextBox(text, float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
