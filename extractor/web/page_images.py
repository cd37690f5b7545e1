"""Page images of archived PDFs and scans, rendered once and kept beside the archive.

``/documents/12/pages/2.png`` is page 2 of the archive's own copy of the source file, rendered by PDFium at
``RENDER_SCALE`` (108 dpi: an A4 page is 893 × 1263 pixels) and cached as
``<archive>.files/web-cache/pages/<sha256>-p0002-s150.png``: every part of that name comes from the archive
(the document's SHA-256 and a page number checked against its page count), none from the request.
A page's size is given in PDF points, the unit of a finding's box, so a box is drawn over the image in
the page's own coordinates.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from extractor.archive import StoredDocument
from extractor.ingest.image import stated_resolution
from extractor.ingest.ocr import POINTS_PER_INCH

RENDER_SCALE = 1.5  # pixels per PDF point
CACHE_FOLDER = Path("web-cache") / "pages"
# PDFium is not thread-safe: one page is opened or rendered at a time in this process.
_PDFIUM = threading.Lock()


class PageImages:
    """The page images of one archive: ``pages.png(stored, 2)`` -> the path of the cached PNG."""

    def __init__(self, files_dir: Path | None) -> None:
        self.cache = files_dir / CACHE_FOLDER if files_dir else None
        self._rendering: dict[Path, threading.Lock] = {}
        self._lock = threading.Lock()

    def available(self, stored: StoredDocument) -> bool:
        """Whether the document has page images: a PDF or a scan whose source file the archive keeps."""
        return (
            self.cache is not None
            and stored.format in ("pdf", "image")
            and stored.source_file is not None
            and stored.source_file.is_file()
        )

    def size(self, stored: StoredDocument, page: int) -> tuple[float, float]:
        """Width and height of ``page`` (1-based) in PDF points: (595.3, 841.9) for an A4 page."""
        if stored.format == "pdf":
            import pypdfium2

            with _PDFIUM:
                pdf = pypdfium2.PdfDocument(stored.source_file)
                try:
                    return tuple(pdf[page - 1].get_size())  # type: ignore[return-value]
                finally:
                    pdf.close()
        image = _frame(stored.source_file, page)
        dpi = stated_resolution(image)
        return image.width * POINTS_PER_INCH / dpi, image.height * POINTS_PER_INCH / dpi

    def png(self, stored: StoredDocument, page: int) -> Path:
        """The cached PNG of ``page``, rendered now if it is not cached yet (one render per page at a time)."""
        assert self.cache is not None and stored.source_file is not None
        target = self.cache / f"{stored.sha256}-p{page:04d}-s{round(RENDER_SCALE * 100)}.png"
        if target.exists():
            return target
        with self._lock:
            lock = self._rendering.setdefault(target, threading.Lock())
        with lock:
            if not target.exists():
                self._render(stored, page, target)
        return target

    def _render(self, stored: StoredDocument, page: int, target: Path) -> None:
        if stored.format == "pdf":
            import pypdfium2

            with _PDFIUM:
                pdf = pypdfium2.PdfDocument(stored.source_file)
                try:
                    image = pdf[page - 1].render(scale=RENDER_SCALE).to_pil()
                finally:
                    pdf.close()
        else:
            frame = _frame(stored.source_file, page)
            scale = RENDER_SCALE * POINTS_PER_INCH / stated_resolution(frame)
            image = frame.convert("RGB").resize((round(frame.width * scale), round(frame.height * scale)))
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=".png")
        try:
            with os.fdopen(handle, "wb") as out:
                image.save(out, format="PNG")
            os.replace(temporary, target)
        finally:
            Path(temporary).unlink(missing_ok=True)


def _frame(path: Path | None, page: int) -> Any:
    """Frame ``page`` (1-based) of a scan, loaded (Pillow is imported here only)."""
    from PIL import Image

    image = Image.open(path)
    image.seek(page - 1)
    image.load()
    return image
