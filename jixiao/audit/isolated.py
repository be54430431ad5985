"""Audit one uploaded file in a child process the operating system holds to the file's budget.

``audit_isolated(data, filename)`` starts ``python -m jixiao.audit.isolated``, which first limits
itself (``resource.setrlimit``: CPU time and address space, jixiao.audit.limits), then reads the
file from stdin, audits it and writes the result as JSON to stdout. The parent waits at most the
budget's wall-clock seconds. Whatever the file does — a pdf that makes pypdf parse for minutes, a
bomb that asks for gigabytes — the child is stopped by the kernel and the caller gets an
``UnreadableReport`` saying 太大或太复杂，未审查（…）; the web worker that asked never spins.

Used by the 报告审查 job (jixiao.audit.jobs) for each file, and by the prefill upload. Pure
Python, no Django: the child imports only the auditor.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from jixiao.audit.findings import AuditReport
from jixiao.audit.limits import (
    DEFAULT_BUDGET,
    AuditBudget,
    memory_reason,
    time_reason,
    wall_reason,
)
from jixiao.audit.readers import UnreadableReport
from jixiao.audit.ruleset_choice import ruleset_from_payload, ruleset_payload
from scoring.ruleset import RuleSet

# the folder jixiao is imported from, so the child runs the same code as the parent
_ROOT = str(Path(__file__).resolve().parents[2])


class AuditFailed(Exception):
    """The auditor itself failed on the file (a bug, not the file's fault); logged by callers."""


def audit_isolated(
    data: bytes,
    filename: str,
    *,
    budget: AuditBudget = DEFAULT_BUDGET,
    ruleset: RuleSet | None = None,
) -> AuditReport:
    """Audit an upload's bytes in a resource-limited child; the report comes with its prefill.

    Raises ``UnreadableReport`` (``too_complex`` set when over the budget) or ``AuditFailed``.
    ``ruleset``: the rule-set the user picked (sent to the child, which has no database).
    """
    env = {
        key: value for key, value in os.environ.items() if key in ("PATH", "LANG", "LC_ALL", "TZ")
    }
    env["PYTHONPATH"] = _ROOT
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    request = {
        "filename": filename,
        "budget": budget.to_dict(),
        "ruleset": ruleset_payload(ruleset),
    }
    header = json.dumps(request, ensure_ascii=False).encode() + b"\n"
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "jixiao.audit.isolated"],
            input=header + data,
            capture_output=True,
            timeout=budget.wall_seconds,
            env=env,
            cwd=_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        # subprocess.run has killed and reaped the child
        raise UnreadableReport(wall_reason(budget), filename, too_complex=True) from None
    return _result(completed, filename, budget)


def _result(
    completed: subprocess.CompletedProcess[bytes], filename: str, budget: AuditBudget
) -> AuditReport:
    code = completed.returncode
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        # the soft CPU limit sends SIGXCPU; a child that ignores it is killed at the hard limit
        raise UnreadableReport(time_reason(budget), filename, too_complex=True)
    try:
        answer: dict[str, Any] = json.loads(completed.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        if b"MemoryError" in completed.stderr:
            raise UnreadableReport(memory_reason(budget), filename, too_complex=True) from None
        raise AuditFailed(
            f"审查进程异常退出（{code}）：{completed.stderr.decode('utf-8', 'replace')[-500:]}"
        ) from None
    if "report" in answer:
        return AuditReport.from_dict(answer["report"])
    if "unreadable" in answer:
        raise UnreadableReport(
            answer["unreadable"],
            filename,
            scanned=bool(answer.get("scanned")),
            too_complex=bool(answer.get("too_complex")),
        )
    raise AuditFailed(str(answer.get("failed", "审查进程没有结果")))


def _child() -> int:
    """The child: limit itself, read ``{"filename", "budget"}\\n`` + the file on stdin, answer."""
    from jixiao.audit.limits import limit_this_process

    header = sys.stdin.buffer.readline()
    request = json.loads(header)
    budget = AuditBudget.from_dict(request["budget"])
    limit_this_process(budget)
    data = sys.stdin.buffer.read()
    answer: dict[str, Any]
    try:
        from jixiao.audit import audit_bytes

        ruleset = ruleset_from_payload(request.get("ruleset"))
        report = audit_bytes(data, request["filename"], budget=budget, ruleset=ruleset)
        answer = {"report": report.to_dict(with_prefill=True)}
    except UnreadableReport as exc:
        answer = {
            "unreadable": exc.reason,
            "scanned": exc.scanned,
            "too_complex": exc.too_complex,
        }
    except MemoryError:
        del data
        answer = {"unreadable": memory_reason(budget), "too_complex": True}
    except Exception as exc:  # reported to the parent, which logs it as the auditor's failure
        answer = {"failed": f"{type(exc).__name__}: {exc}"[:500]}
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child())
