"""Webhooks for integrators (PLAT-NOTIFY-1): how a delivery is signed and verified, and which
targets a subscription may name (https, allow-listed hosts, no private addresses: SSRF)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from urllib.parse import urlsplit

from app.domain.common import Finding
from app.domain.messages import N_

RULE = "PLAT-NOTIFY-1"
#: The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
SIGNATURE_HEADER = "Kepu-Signature"
#: How far a receiver lets a signature's timestamp lie from its clock (replays are refused).
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: HMAC-SHA256 over `<timestamp>.<body>` with the secret."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: int) -> bool:
    """The receiver's check (docs/notifications.md): the timestamp is within the tolerance and
    one `v1` value matches, compared in constant time."""
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    stamps = [v for k, v in parts if k == "t" and v.isdigit()]
    if not stamps or abs(now - int(stamps[0])) > TOLERANCE_SECONDS:
        return False
    expected = signature(secret, int(stamps[0]), body).split("v1=", 1)[1]
    return any(k == "v1" and hmac.compare_digest(v, expected) for k, v in parts)


def is_public(address: str) -> bool:
    """Whether an IP address is one the internet routes (not loopback, private, link-local,
    multicast, reserved or unspecified)."""
    ip = ipaddress.ip_address(address)
    return ip.is_global and not ip.is_multicast


def check_target(
    url: str, *, allowed_hosts: frozenset[str], https_only: bool, allow_private: bool
) -> list[Finding]:
    """Every reason a URL may not be a webhook target: not https (outside development), a
    host not on the allow-list, an address literal that is not public (unless allowed)."""
    findings: list[Finding] = []
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    schemes = {"https"} if https_only else {"https", "http"}
    if parts.scheme not in schemes or not host:
        scheme = (
            N_("a webhook URL is https") if https_only else N_("a webhook URL is http or https")
        )
        findings.append(Finding(rule=RULE, code="scheme_not_allowed", field="url", message=scheme))
    if host and host not in allowed_hosts:
        findings.append(
            Finding(
                rule=RULE,
                code="host_not_allowed",
                field="url",
                message=N_("{host} is not an allow-listed webhook host"),
                params={"host": host},
            )
        )
    if host and not allow_private and _literal(host) and not is_public(_literal(host) or ""):
        findings.append(
            Finding(
                rule=RULE,
                code="address_not_public",
                field="url",
                message=N_("{host} is not a public address"),
                params={"host": host},
            )
        )
    if parts.username or parts.password:
        findings.append(
            Finding(
                rule=RULE,
                code="credentials_in_url",
                field="url",
                message=N_("a webhook URL carries no credentials"),
            )
        )
    return findings


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None
