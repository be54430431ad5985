"""Findings (审查发现) and the audit report that collects them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Location:
    """Where a finding is: 1-based line in the whole text, and page when the source has pages."""

    line: int | None = None
    page: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"第 {self.page} 页")
        if self.line is not None:
            parts.append(f"第 {self.line} 行")
        return "".join(parts) or "全文"

    def to_dict(self) -> dict[str, int | None]:
        return {"line": self.line, "page": self.page}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Location:
        data = data or {}
        return cls(line=data.get("line"), page=data.get("page"))


@dataclass(frozen=True)
class Finding:
    severity: str  # error | warning | info
    code: str
    message: str
    quote: str = ""
    location: Location = field(default_factory=Location)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "quote": self.quote,
            "location": self.location.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            str(data["severity"]),
            str(data["code"]),
            str(data["message"]),
            str(data.get("quote", "")),
            Location.from_dict(data.get("location")),
        )


@dataclass
class AuditReport:
    source: str
    findings: list[Finding]
    extracted: dict[str, Any]
    # scoring.evaluation.SelfEvaluation as far as the report states it (None if too little read)
    evaluation: Any = None
    # the extracted document (jixiao.audit.extract.Document) the prefill is built from
    document: Any = field(default=None, repr=False, compare=False)
    _prefill: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def prefill(self) -> dict[str, Any]:
        """Draft SelfEvaluation data, each field with its source and confidence
        (``jixiao.audit.prefill``); built on first use, since batch and CLI runs never need it."""
        if self._prefill is None:
            from jixiao.audit.prefill import empty_prefill, prefill

            self._prefill = prefill(self.document) if self.document is not None else empty_prefill()
        return self._prefill

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def to_dict(self, *, with_prefill: bool = False) -> dict[str, Any]:
        result = {
            "source": self.source,
            "findings": [f.to_dict() for f in self.findings],
            "extracted": self.extracted,
        }
        if with_prefill:
            result["prefill"] = self.prefill
        return result

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AuditReport:
        """A report from ``to_dict`` (a child process's answer, jixiao.audit.isolated): findings,
        extracted data and, when it was included, the prefill. ``evaluation`` is not rebuilt."""
        return cls(
            source=str(data.get("source", "")),
            findings=[Finding.from_dict(f) for f in data.get("findings", [])],
            extracted=dict(data.get("extracted") or {}),
            _prefill=data.get("prefill"),
        )

    def to_json(self, indent: int | None = 2, *, with_prefill: bool = False) -> str:
        return json.dumps(
            self.to_dict(with_prefill=with_prefill), ensure_ascii=False, indent=indent
        )
