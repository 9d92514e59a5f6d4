"""One finding's shape, the severity and confidence scales, and their order."""

from __future__ import annotations

from typing import Any

SEVERITIES = ("informational", "low", "medium", "high")
CONFIDENCES = ("low", "medium", "high")
OURS = "infra-docs"


def finding(
    audit: str, severity: str, confidence: str, line: int | None, message: str, tool: str = OURS
) -> dict[str, Any]:
    """A finding on one workflow file, in the inventory schema's shape."""
    if severity not in SEVERITIES or confidence not in CONFIDENCES:
        raise ValueError(f"bad severity/confidence {severity!r}/{confidence!r} for {audit}")
    return {
        "tool": tool,
        "audit": audit,
        "severity": severity,
        "confidence": confidence,
        "line": line,
        "message": message,
    }


def rank(f: dict) -> tuple[int, int]:
    """Sort key: worst (highest severity, then confidence) first when negated."""
    return SEVERITIES.index(f["severity"]), CONFIDENCES.index(f["confidence"])
