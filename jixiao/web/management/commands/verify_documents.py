"""Re-hash every frozen document and every evidence file against the digests stored when they were
written, and report any difference (a corrupted disk, a restore from a wrong backup, a hand edit).

Exit status 1 when anything differs or is missing, so a cron job or the restore command notices.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from jixiao.documents.digests import sha256_hex, sm3_hex
from jixiao.evaluations.models import Evidence
from jixiao.reviews.models import FrozenDocument

CHUNK = 50  # frozen documents are up to a few MB each: a bounded number in memory at once


def frozen_document_problems() -> tuple[int, list[str]]:
    checked, problems = 0, []
    ids = list(FrozenDocument.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        rows = FrozenDocument.objects.filter(pk__in=ids[start : start + CHUNK]).only(
            "pk", "evaluation_id", "filename", "content", "sha256", "sm3", "size"
        )
        for doc in rows:
            checked += 1
            content = bytes(doc.content)
            where = f"冻结文件 #{doc.pk}（自评 {doc.evaluation_id}，{doc.filename}）"
            if len(content) != doc.size:
                problems.append(f"{where}：大小 {len(content)} 字节，登记为 {doc.size} 字节")
            if sha256_hex(content) != doc.sha256:
                problems.append(f"{where}：SHA-256 与登记值不符")
            if doc.sm3 and sm3_hex(content) != doc.sm3:
                problems.append(f"{where}：SM3 与登记值不符")
    return checked, problems


def evidence_problems() -> tuple[int, list[str]]:
    checked, problems = 0, []
    for evidence in (
        Evidence.objects.order_by("pk")
        .only("pk", "evaluation_id", "file", "original_name", "sha256", "size")
        .iterator(chunk_size=500)
    ):
        checked += 1
        where = (
            f"佐证材料 #{evidence.pk}（自评 {evidence.evaluation_id}，{evidence.original_name}）"
        )
        if not evidence.file.name or not default_storage.exists(evidence.file.name):
            problems.append(f"{where}：文件不存在")
            continue
        digest = hashlib.sha256()
        size = 0
        with default_storage.open(evidence.file.name, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
        if digest.hexdigest() != evidence.sha256:
            problems.append(f"{where}：SHA-256 与登记值不符")
        elif size != evidence.size:
            problems.append(f"{where}：大小 {size} 字节，登记为 {evidence.size} 字节")
    return checked, problems


class Command(BaseCommand):
    help = "重新计算每个冻结文件和佐证材料的杂凑值，与登记值比对，报告不符之处"

    def handle(self, *args: Any, **options: Any) -> None:
        documents, document_problems = frozen_document_problems()
        files, file_problems = evidence_problems()
        problems = document_problems + file_problems
        for problem in problems:
            self.stdout.write(problem)
        summary = f"已核验冻结文件 {documents} 个、佐证材料 {files} 个：" + (
            f"{len(problems)} 处不符" if problems else "全部一致"
        )
        if problems:
            raise CommandError(summary)
        self.stdout.write(summary)
