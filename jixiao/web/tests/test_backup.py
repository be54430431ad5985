"""verify_documents finds a corrupted frozen file; backup and restore bring back the database and the
files, on SQLite and on PostgreSQL, and refuse a damaged archive before touching anything."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jixiao.evaluations.models import Evidence
from jixiao.reviews.models import FrozenDocument
from jixiao.reviews.tests.helpers import publish_directly

REPO = Path(__file__).resolve().parents[3]


def test_verify_documents_is_quiet_when_everything_matches(world, capsys) -> None:
    publish_directly(world.evaluation, world.bureau_reviewer)
    call_command("verify_documents")
    assert "已核验冻结文件 4 个、佐证材料 0 个：全部一致" in capsys.readouterr().out


def test_verify_documents_reports_a_corrupted_frozen_file(world, capsys) -> None:
    publish_directly(world.evaluation, world.bureau_reviewer)
    doc = FrozenDocument.objects.get(evaluation=world.evaluation, format="pdf")
    FrozenDocument.objects.filter(pk=doc.pk).update(content=b"tampered")
    with pytest.raises(CommandError, match="处不符"):
        call_command("verify_documents")
    out = capsys.readouterr().out
    assert f"冻结文件 #{doc.pk}" in out and "SHA-256 与登记值不符" in out
    assert out.count("冻结文件 #") >= 1 and "报告.docx" not in out


def test_verify_documents_reports_a_changed_or_missing_evidence_file(
    world, settings, tmp_path, capsys
) -> None:
    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.4 evidence"
    digest = hashlib.sha256(content).hexdigest()
    evidence = Evidence(
        evaluation=world.evaluation,
        indicator_code="A1",
        original_name="证明.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=digest,
        uploaded_by=world.editor,
    )
    evidence.file.save("x", ContentFile(content), save=False)
    evidence.save()
    call_command("verify_documents")
    Path(evidence.file.path).write_bytes(b"%PDF-1.4 changed!")
    with pytest.raises(CommandError):
        call_command("verify_documents")
    assert "证明.pdf）：SHA-256 与登记值不符" in capsys.readouterr().out
    Path(evidence.file.path).unlink()
    with pytest.raises(CommandError):
        call_command("verify_documents")
    assert "证明.pdf）：文件不存在" in capsys.readouterr().out


# --- backup and restore, end to end in child processes on a real database ----------------------

SCRIPT_WRITE = """
from jixiao.organisations.models import Organisation
from django.core.files.storage import default_storage
from django.core.files.base import ContentFile
Organisation.objects.create(kind="bureau", name="{name}")
default_storage.save("evidence/1/abc", ContentFile(b"evidence bytes"))
"""
SCRIPT_DAMAGE = """
from jixiao.organisations.models import Organisation
from django.core.files.storage import default_storage
Organisation.objects.filter(name="{name}").delete()
Organisation.objects.create(kind="bureau", name="after the backup")
default_storage.delete("evidence/1/abc")
"""
SCRIPT_CHECK = """
from jixiao.organisations.models import Organisation
from django.core.files.storage import default_storage
print(sorted(Organisation.objects.values_list("name", flat=True)))
print(default_storage.open("evidence/1/abc").read())
"""


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True
    )


def _shell(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return _manage(env, "shell", "--no-imports", "-c", code)


def _round_trip(env: dict[str, str], tmp_path: Path) -> None:
    name = f"财政局{uuid.uuid4().hex[:6]}"
    assert _manage(env, "migrate", "--noinput", "-v0").returncode == 0
    assert _shell(env, SCRIPT_WRITE.format(name=name)).returncode == 0
    archive = tmp_path / "backup.tar"
    made = _manage(env, "backup", str(archive))
    assert made.returncode == 0, made.stderr
    assert "已备份" in made.stdout

    assert _shell(env, SCRIPT_DAMAGE.format(name=name)).returncode == 0
    refused = _manage(env, "restore", str(archive))
    assert refused.returncode != 0 and "--yes" in refused.stderr

    # A damaged archive is refused before anything is touched.
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            handle = source.extractfile(member)
            data = handle.read() if handle else b""
            if member.name.startswith("media/"):
                data = data[::-1]
            member.size = len(data)
            import io

            target.addfile(member, io.BytesIO(data))
    bad = _manage(env, "restore", str(damaged), "--yes")
    assert bad.returncode != 0 and "已损坏" in bad.stderr
    still = _shell(
        env,
        "from jixiao.organisations.models import Organisation as O; print(O.objects.filter(name='after the backup').exists())",
    )
    assert still.stdout.strip() == "True"

    restored = _manage(env, "restore", str(archive), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "已恢复" in restored.stdout and "全部一致" in restored.stdout
    checked = _shell(env, SCRIPT_CHECK)
    assert checked.returncode == 0, checked.stderr
    names, evidence = checked.stdout.strip().splitlines()
    assert name in names and "after the backup" not in names
    assert evidence == "b'evidence bytes'"


def _env(database_url: str, media: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url, JIXIAO_MEDIA_ROOT=str(media), DJANGO_DEBUG="true")
    return env


@pytest.mark.slow
@pytest.mark.processes
def test_backup_and_restore_on_sqlite(tmp_path: Path) -> None:
    _round_trip(_env(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "media"), tmp_path)


@pytest.mark.slow
@pytest.mark.django_db
def test_backup_and_restore_on_postgresql(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL run of the suite")
    import psycopg

    settings_dict = connection.settings_dict
    name = f"jixiao_backup_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = settings_dict["USER"] + (
            f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
        )
        url = f"postgres://{auth}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/{name}"
        _round_trip(_env(url, tmp_path / "media"), tmp_path)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
