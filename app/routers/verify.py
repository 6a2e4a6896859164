"""The page a person opens to verify a certificate (VOL-DUTY-4): the QR code on the PDF leads
here. Server-rendered Chinese HTML, no script, readable on a phone and printable; it shows what
proves the certificate and nothing more personal than the masked name."""

from __future__ import annotations

from html import escape
from string import Template

from fastapi.responses import HTMLResponse
from starlette.convertors import StringConvertor, register_url_convertor

from app.domain.volunteers import CertificateStatus, PublicCertificate
from app.errors import NotFound
from app.routers.deps import SessionDep
from app.routers.route import resource_router
from app.services import volunteers_records as service


class _Anything(StringConvertor):
    # Whatever follows `/verify/` (colons, slashes, line breaks) is a number to look up, so
    # every such address answers a page, never the API's JSON 404.
    regex = r"[\s\S]*"


register_url_convertor("anything", _Anything())
router = resource_router("certificate page", public=True)
_HTML = {"text/html": {"schema": {"type": "string"}}}

_PAGE = Template("""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>$title</title>
<style>
body { font-family: "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
  margin: 0; padding: 1.5rem 1rem; color: #1f2933; background: #f5f7fa; }
main { max-width: 32rem; margin: 0 auto; background: #fff; border-radius: 0.5rem;
  padding: 1.5rem; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.12); }
h1 { font-size: 1.25rem; margin: 0 0 1rem; }
.status { font-size: 1.1rem; font-weight: bold; padding: 0.6rem 0.8rem; border-radius: 0.4rem;
  margin-bottom: 1rem; }
.valid { background: #e3f9e5; color: #05400a; }
.void, .missing { background: #ffe3e3; color: #610404; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5rem 1rem; margin: 0; }
dt { color: #616e7c; }
dd { margin: 0; }
footer { max-width: 32rem; margin: 1rem auto 0; font-size: 0.8rem; color: #7b8794; }
@media print { body { background: #fff; } main { box-shadow: none; } }
</style>
</head>
<body>
<main>
<h1>科技志愿服务记录证明查验</h1>
$body
</main>
<footer>本页面仅显示查验所需信息；证明编号由出具单位提供。</footer>
</body>
</html>
""")


def _page(body: str, *, title: str) -> str:
    return _PAGE.substitute(title=escape(title), body=body)


def certificate_page(found: PublicCertificate) -> str:
    """The page of one certificate: whether it is valid, and what proves it."""
    if found.status is CertificateStatus.VOID:
        status = f'<p class="status void">本证明已作废：{escape(found.void_reason or "")}</p>'
    else:
        status = '<p class="status valid">本证明真实有效</p>'
    rows = [
        ("证明编号", found.number),
        ("志愿者", found.volunteer_name_masked),
        ("出具单位", found.organization_name),
        ("累计服务时长", f"{found.total_hours} 小时"),
        ("服务期间", f"{found.starts_on} 至 {found.ends_on}"),
        ("出具日期", str(found.issued_on)),
    ]
    details = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    return _page(f"{status}<dl>{details}</dl>", title=f"证明查验 {found.number}")


MISSING_PAGE = _page(
    '<p class="status missing">未找到该证明</p><p>请核对证明编号，或联系出具单位。</p>',
    title="证明查验",
)


@router.get(
    "/verify/{certificate_number:anything}",
    summary="The certificate verification page for people (HTML, no login)",
    response_class=HTMLResponse,
    responses={
        200: {"content": _HTML, "description": "The page of the certificate"},
        404: {"content": _HTML, "description": "No certificate has this number"},
    },
)
def verify_page(certificate_number: str, session: SessionDep) -> HTMLResponse:
    """VOL-DUTY-4: valid or void, the masked name, the issuer, hours and period; the same for a
    malformed number as for an unknown one. Machines use `GET /api/v1/public/certificates/…`."""
    try:
        found = service.verify_certificate(session=session, number=certificate_number)
    except NotFound:
        return HTMLResponse(MISSING_PAGE, status_code=404)
    return HTMLResponse(certificate_page(found))
