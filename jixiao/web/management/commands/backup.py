"""备份: the database and the files in one archive (jixiao.web.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.web.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个归档文件（含各部分的 SHA-256 清单）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "output", type=Path, help="归档文件路径，如 /var/backups/jixiao-2026-11-29.tar"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = create_backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已备份（{summary.engine}）到 {summary.path}：{summary.members} 个部分，{summary.size} 字节"
        )
