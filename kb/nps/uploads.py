"""The calculator's uploads, capped while the request is being read.

Django's default upload handlers write a large file to a temporary file whole before a view can
look at its size, and anyone may post to the calculator. Its views replace them (Django's "modify
upload handlers on the fly": the views are csrf_exempt, so nothing has read the body before)
with ``CappedUploadHandler``, which keeps each file in memory up to ``kb.nps.MAX_BYTES`` (the
reader wants the bytes in memory anyway) and drops a larger one as soon as its running size
passes the cap: it is never held whole, in memory or on disk. A request whose declared length
cannot be two capped files and the form's boxes is refused before its body is read.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Final

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict

from kb import nps

# Two files at the cap (sample A and sample B) and the form's other boxes: the carried copies of
# two small files (base64 of 512 KiB each) and a little text. Anything longer is not our form.
MAX_REQUEST_BYTES: Final = 2 * nps.MAX_BYTES + 2 * 1024 * 1024


class CappedUploadHandler(FileUploadHandler):
    """Each uploaded file in memory, up to ``limit`` bytes; a larger one is skipped.

    ``too_large`` names the file fields that passed the cap (their data was dropped, chunk by
    chunk, as it arrived); ``most_held`` is the most bytes held for one file, never more than
    ``limit`` + one chunk.
    """

    chunk_size = 64 * 1024

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large: set[str] = set()
        self.most_held = 0
        self._buffer: io.BytesIO | None = None
        self._held = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self._buffer = io.BytesIO()
        self._held = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._held += len(raw_data)
        self.most_held = max(self.most_held, self._held)
        if self._held > self.limit:
            self.too_large.add(self.field_name)
            self._buffer = None
            raise SkipFile  # the parser reads past the rest of this file, keeping nothing
        assert self._buffer is not None
        self._buffer.write(raw_data)
        return None  # no other handler: nothing goes to disk

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if self._buffer is None:
            return None
        self._buffer.seek(0)
        return InMemoryUploadedFile(
            file=self._buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


@dataclass
class Posted:
    """What a calculator POST holds: its boxes, its files, and the files refused for size."""

    data: QueryDict
    files: MultiValueDict
    too_large: frozenset[str] = field(default_factory=frozenset)


def read_post(request: HttpRequest) -> Posted:
    """The request's boxes and files, each file capped at ``kb.nps.MAX_BYTES`` as it is read.

    Call before anything reads ``request.POST`` (the view must be csrf_exempt). A body that
    declares more than ``MAX_REQUEST_BYTES``, or whose boxes pass Django's
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, is not read: it comes back as an empty CSV form whose file
    box is refused for size.
    """
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_REQUEST_BYTES:
        return _refused()
    handler = CappedUploadHandler(request, limit=nps.MAX_BYTES)
    request.upload_handlers = [handler]
    try:
        data, files = request.POST, request.FILES
    except RequestDataTooBig:
        return _refused()
    return Posted(data, files, frozenset(handler.too_large))


def _refused() -> Posted:
    data = QueryDict(mutable=True)
    data["mode"] = "csv"
    return Posted(data, MultiValueDict(), frozenset({"file"}))
