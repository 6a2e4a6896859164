"""VOL-DUTY-4: a certificate as a PDF with its Chinese text, set in Noto Sans CJK SC.

The font ships in the PyPI package `justmytype-intl-cjk` (Noto Sans SC, SIL Open Font License),
so every installation from the lock file has it; the PDF embeds only the glyphs it uses, with a
ToUnicode map so the text can be searched and copied.
"""

from __future__ import annotations

import io
from importlib.resources import files
from pathlib import Path

from app.domain.volunteers import Certificate, CertificateStatus
from app.qr import qr_png

#: Noto Sans SC (variable weight; fpdf2 sets its default instance).
CJK_FONT = Path(
    str(files("justmytype_intl_cjk") / "fonts" / "ofl" / "notosanssc" / "NotoSansSC[wght].ttf")
)


def render_certificate(certificate: Certificate, *, verify_url: str) -> bytes:
    """The certificate on one A4 page: heading, holder, entries, total, issuer and number."""
    # Imported here: fpdf costs every worker 23 MB at start-up, for a PDF few requests render.
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_title(f"志愿服务记录证明 {certificate.number}")
    pdf.add_page()
    pdf.add_font("cjk", fname=str(CJK_FONT))
    pdf.set_font("cjk", size=20)
    pdf.cell(0, 14, "科技志愿服务记录证明", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    if certificate.status is CertificateStatus.VOID:
        pdf.cell(
            0, 8, f"本证明已作废：{certificate.void_reason or ''}", new_x="LMARGIN", new_y="NEXT"
        )
    lines = [
        f"志愿者：{certificate.volunteer_name}    证件号码：{certificate.id_number_masked}",
        f"服务期间：{certificate.starts_on} 至 {certificate.ends_on}",
        f"累计志愿服务时长：{certificate.total_hours} 小时",
    ]
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.table(
        col_widths=(30, 120, 30),
        text_align=("LEFT", "LEFT", "RIGHT"),
        headings_style=FontFace(emphasis="", fill_color=(235, 235, 235)),
    ) as table:
        table.row(("日期", "服务项目", "时长（小时）"))
        for entry in certificate.entries:
            table.row((str(entry.served_on), entry.activity_title, str(entry.hours)))
    pdf.ln(6)
    for line in (
        f"出具单位：{certificate.organization_name}",
        f"负责人：{certificate.person_in_charge}",
        f"出具日期：{certificate.issued_on}",
        f"证明编号：{certificate.number}",
        f"查验：{verify_url}",
    ):
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    # The QR code opens the verification page on a phone.
    pdf.image(io.BytesIO(qr_png(verify_url)), x=pdf.w - pdf.r_margin - 30, w=30)
    return bytes(pdf.output())
