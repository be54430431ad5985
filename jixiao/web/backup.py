"""Backup and restore of one jixiao installation: the database and the files (media), in one archive.

The archive is a tar file with ``manifest.json`` (when, which database engine, the SHA-256 of every
other member), the database (``database.sqlite3`` — an online copy through SQLite's backup API — or
``database.pgdump`` — ``pg_dump`` custom format) and ``media/`` (uploaded evidence, job results).
Frozen documents live in the database, so the database alone carries what was published.

Restore checks every member against the manifest before it touches anything, restores the database
in one transaction (PostgreSQL: ``pg_restore --single-transaction``) and swaps the media directory
in only after the database succeeded, keeping the previous one beside it. Then ``verify_documents``
re-hashes what was restored. With object storage (``JIXIAO_STORAGE=s3``) the media are the bucket's
objects: downloaded into the archive on backup, uploaded under the same names on restore.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connections

FORMAT = "jixiao-backup/1"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    engine: str
    members: int
    size: int


def _engine() -> str:
    engine = str(settings.DATABASES["default"]["ENGINE"])
    if "sqlite3" in engine:
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"不支持的数据库引擎：{engine}")


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return env, args


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"找不到 {command[0]}：请安装 postgresql-client（与服务器同一大版本）")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[-2000:]}")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dump_database(engine: str, workdir: Path) -> Path:
    if engine == "sqlite":
        name = str(settings.DATABASES["default"]["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise BackupError("内存数据库无法备份")
        target = workdir / "database.sqlite3"
        source = sqlite3.connect(name)
        try:
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)  # a consistent copy while the app keeps running
            copy.close()
        finally:
            source.close()
        return target
    target = workdir / "database.pgdump"
    env, args = _pg_env_and_args()
    name = str(settings.DATABASES["default"]["NAME"])
    _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", *args, "-f", str(target), name], env)
    return target


def create_backup(output: Path) -> BackupSummary:
    """Write the archive to ``output`` (written beside it first, then renamed: never half a file)."""
    engine = _engine()
    media = Path(settings.MEDIA_ROOT)
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent) as tmp:
        workdir = Path(tmp)
        database = _dump_database(engine, workdir)
        members: dict[str, str] = {database.name: _sha256_file(database)}
        media_files = _collect_media(media, workdir)
        for path, arcname in media_files:
            members[arcname] = _sha256_file(path)
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": engine,
            "members": members,
        }
        manifest_path = workdir / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        partial = workdir / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            archive.add(manifest_path, "manifest.json")
            archive.add(database, database.name)
            for path, arcname in media_files:
                archive.add(path, arcname)
        os.replace(partial, output)
    return BackupSummary(output, engine, len(members), output.stat().st_size)


def object_storage() -> Storage | None:
    """The default storage when it is not this machine's disk (S3-compatible object storage)."""
    storage = storages["default"]
    return None if isinstance(storage, FileSystemStorage) else storage


def _walk(storage: Storage, prefix: str = "") -> list[str]:
    directories, files = storage.listdir(prefix)
    names = [f"{prefix}{name}" for name in files]
    for directory in directories:
        names += _walk(storage, f"{prefix}{directory}/")
    return sorted(names)


def _collect_media(media: Path, workdir: Path) -> list[tuple[Path, str]]:
    """The files to archive as (path on disk, name in the archive). From object storage each object
    is first downloaded (streamed) into ``workdir``; on local disk they are read where they are."""
    storage = object_storage()
    found: list[tuple[Path, str]] = []
    if storage is not None:
        for name in _walk(storage):
            local = workdir / "media-download" / name
            local.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, local.open("wb") as target:
                shutil.copyfileobj(source, target, 1 << 20)
            found.append((local, f"media/{name}"))
        return found
    if media.is_dir():
        for path in sorted(media.rglob("*")):
            if path.is_file() and not path.is_symlink():
                found.append((path, "media/" + path.relative_to(media).as_posix()))
    return found


def restore_media_to_object_storage(restored: Path) -> int:
    """Put every restored file back under its name in object storage (replacing what is there).
    Objects that are not in the backup are left alone: the restored database no longer refers to
    them, and an operator deletes them (or keeps them) with the store's own tools."""
    storage = object_storage()
    assert storage is not None
    count = 0
    for path in sorted(restored.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(restored).as_posix()
        if storage.exists(name):
            storage.delete(name)
        with path.open("rb") as handle:
            stored = storage.save(name, File(handle))
        if stored != name:
            raise BackupError(f"对象存储把 {name} 存成了 {stored}，恢复未完成")
        count += 1
    return count


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember("manifest.json")
    except KeyError:
        raise BackupError("不是 jixiao 备份文件：缺少 manifest.json") from None
    handle = archive.extractfile(member)
    if handle is None:
        raise BackupError("manifest.json 不是普通文件")
    manifest = json.loads(handle.read().decode("utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')!r} 不是 {FORMAT}")
    return manifest


def restore_backup(archive_path: Path) -> dict[str, Any]:
    """Restore the database and the media from the archive; returns its manifest."""
    engine = _engine()
    media = Path(settings.MEDIA_ROOT).resolve()
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent) as tmp:
        workdir = Path(tmp)
        with tarfile.open(archive_path, "r") as archive:
            manifest = _read_manifest(archive)
            if manifest["engine"] != engine:
                raise BackupError(
                    f"备份来自 {manifest['engine']} 数据库，当前配置的是 {engine}：请用同一种数据库恢复"
                )
            # The data filter refuses absolute paths, .. and links out of the directory.
            archive.extractall(workdir, filter="data")
        expected: dict[str, str] = manifest["members"]
        present = {
            p.relative_to(workdir).as_posix()
            for p in workdir.rglob("*")
            if p.is_file() and p.name != "manifest.json"
        }
        if present != set(expected):
            raise BackupError("备份文件的内容与清单不符（缺少或多出文件），未做任何恢复")
        for name, digest in expected.items():
            if _sha256_file(workdir / name) != digest:
                raise BackupError(f"备份中的 {name} 已损坏（SHA-256 不符），未做任何恢复")

        connections.close_all()
        if engine == "sqlite":
            target = str(settings.DATABASES["default"]["NAME"])
            source = sqlite3.connect(workdir / "database.sqlite3")
            try:
                live = sqlite3.connect(target)
                with live:
                    source.backup(live)
                live.close()
            finally:
                source.close()
        else:
            env, args = _pg_env_and_args()
            name = str(settings.DATABASES["default"]["NAME"])
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    *args,
                    "-d",
                    name,
                    str(workdir / "database.pgdump"),
                ],
                env,
            )

        restored_media = workdir / "media"
        restored_media.mkdir(exist_ok=True)
        if object_storage() is not None:
            restore_media_to_object_storage(restored_media)
            return manifest
        if media.exists():
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            media.rename(media.with_name(f"{media.name}.before-restore-{stamp}"))
        shutil.move(str(restored_media), str(media))
    return manifest
