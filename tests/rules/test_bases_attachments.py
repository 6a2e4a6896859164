"""Attachment types judged by content (BASE-APPLY-2, BASE-ARCHIVE-1) and review opinions
(BASE-REVIEW-1)."""

import io
import zipfile

import pytest

from app.domain.bases import MAX_SCORE, REVIEW_CRITERIA, ReviewRecommendation
from app.domain.files import (
    APPLICATION_KINDS,
    ARCHIVE_KINDS,
    DOCX,
    JPEG,
    MEDIA_TYPES,
    MP4,
    OLE,
    PDF,
    PNG,
    WEBP,
    XLSX,
    AttachmentKind,
    sniff_media_type,
)
from app.rules.bases_eligibility import check_opinion


def _zip(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n...", PDF),
        (b"\x89PNG\r\n\x1a\n\x00\x00", PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", WEBP),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00", MP4),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", OLE),
        (_zip("word/document.xml"), DOCX),
        (_zip("xl/workbook.xml"), XLSX),
        (_zip("other.txt"), None),
        (b"PK\x03\x04 not really a zip", None),
        (b"<html><script>", None),
        (b"", None),
    ],
)
def test_base_apply_2_media_type_is_judged_by_content(data: bytes, expected: str | None) -> None:
    """BASE-APPLY-2: magic numbers, not the client's Content-Type, decide what a file is."""
    assert sniff_media_type(data) == expected


def test_base_archive_1_photos_video_and_documents_are_archive_kinds() -> None:
    """BASE-ARCHIVE-1: text, photos, video and statistics; applications keep their own kinds."""
    assert {AttachmentKind.PHOTO, AttachmentKind.VIDEO, AttachmentKind.DOCUMENT} <= ARCHIVE_KINDS
    assert AttachmentKind.APPLICATION_FORM not in ARCHIVE_KINDS
    assert AttachmentKind.VIDEO not in APPLICATION_KINDS
    assert MEDIA_TYPES[AttachmentKind.PHOTO] == {JPEG, PNG, WEBP}
    assert PDF not in MEDIA_TYPES[AttachmentKind.PHOTO]
    assert XLSX in MEDIA_TYPES[AttachmentKind.DOCUMENT]


FULL = dict.fromkeys(REVIEW_CRITERIA, 7)


APPROVE = ReviewRecommendation.APPROVE


@pytest.mark.parametrize(
    ("scores", "note", "recommendation", "fields"),
    [
        (FULL, "展陈规范", APPROVE, []),
        ({**FULL, "safety": 0}, "ok", APPROVE, []),
        ({**FULL, "safety": MAX_SCORE}, "ok", APPROVE, []),
        ({**FULL, "safety": MAX_SCORE + 1}, "ok", APPROVE, ["scores.safety"]),
        ({**FULL, "safety": -1}, "ok", APPROVE, ["scores.safety"]),
        ({k: v for k, v in FULL.items() if k != "staff"}, "ok", APPROVE, ["scores.staff"]),
        ({**FULL, "beauty": 5}, "ok", APPROVE, ["scores.beauty"]),
        (FULL, " ", APPROVE, ["note"]),
        (FULL, "ok", None, ["recommendation"]),
        ({}, "", None, [f"scores.{c}" for c in REVIEW_CRITERIA] + ["recommendation", "note"]),
    ],
)
def test_base_review_1_opinion_scores_every_criterion_recommends_and_has_a_note(
    scores: dict[str, int],
    note: str,
    recommendation: ReviewRecommendation | None,
    fields: list[str],
) -> None:
    """BASE-REVIEW-1: the panel's opinion scores each condition of Art. 13, 0 to MAX_SCORE."""
    result = check_opinion(scores, note, recommendation)
    assert [f.field for f in result.findings] == fields
    assert all(f.rule == "BASE-REVIEW-1" for f in result.findings)
