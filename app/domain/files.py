"""Attached files: what a file is, the media types each kind accepts, and how the bytes
themselves show their type (never the client's word)."""

from __future__ import annotations

import io
import zipfile
from enum import StrEnum


class AttachmentKind(StrEnum):
    """What an attached file is: an application's materials (BASE-APPLY-2, BASE-ELIG-1), an
    archive's records (BASE-ARCHIVE-1), the evidence of declared hours (VOL-SELF-1)."""

    APPLICATION_FORM = "application_form"
    PLAN = "plan"
    PHOTO = "photo"
    ENTRUSTMENT_LETTER = "entrustment_letter"
    VIDEO = "video"
    DOCUMENT = "document"
    OTHER = "other"


#: BASE-APPLY-2: the kinds an application takes.
APPLICATION_KINDS = frozenset(
    {
        AttachmentKind.APPLICATION_FORM,
        AttachmentKind.PLAN,
        AttachmentKind.PHOTO,
        AttachmentKind.ENTRUSTMENT_LETTER,
        AttachmentKind.OTHER,
    }
)
#: BASE-ARCHIVE-1, VOL-SELF-1: text, photos, video and statistics kept on base activities and
#: reports, and as the evidence of hours a volunteer declares.
ARCHIVE_KINDS = frozenset(
    {AttachmentKind.PHOTO, AttachmentKind.VIDEO, AttachmentKind.DOCUMENT, AttachmentKind.OTHER}
)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLE = "application/x-ole-storage"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
MP4 = "video/mp4"
_DOCUMENTS = frozenset({PDF, DOCX, XLSX, OLE})
_IMAGES = frozenset({JPEG, PNG, WEBP})

#: BASE-APPLY-2, BASE-ARCHIVE-1: the media types each kind accepts, judged by the content.
MEDIA_TYPES: dict[AttachmentKind, frozenset[str]] = {
    AttachmentKind.APPLICATION_FORM: frozenset({PDF, DOCX, OLE}) | _IMAGES,
    AttachmentKind.PLAN: frozenset({PDF, DOCX, OLE}),
    AttachmentKind.PHOTO: _IMAGES,
    AttachmentKind.ENTRUSTMENT_LETTER: frozenset({PDF}) | _IMAGES,
    AttachmentKind.VIDEO: frozenset({MP4}),
    AttachmentKind.DOCUMENT: _DOCUMENTS,
    AttachmentKind.OTHER: _DOCUMENTS | _IMAGES | {MP4},
}


def sniff_media_type(data: bytes) -> str | None:
    """The media type the bytes themselves show (magic numbers), or None when unrecognised."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp":
        return MP4
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    return None


def _office_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None
