"""恢复: the database and the files from an archive written by ``backup``, then re-hash every frozen
document (``verify_documents``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.web.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从 backup 生成的归档恢复数据库和上传文件（覆盖当前数据），然后核验冻结文件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="确认覆盖当前数据库和上传文件（不加则只检查归档）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"找不到归档文件 {archive}")
        if not options["yes"]:
            raise CommandError("恢复会覆盖当前的数据库和上传文件；确认后加 --yes 再运行")
        try:
            manifest = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已恢复 {manifest['created_at']} 的备份（{manifest['engine']}）")
        call_command("verify_documents", stdout=self.stdout)
