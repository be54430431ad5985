"""Where uploaded and generated files live: Django's default storage, chosen from the environment.

``JIXIAO_STORAGE=local`` (default): files under ``JIXIAO_MEDIA_ROOT`` on this machine's disk.
``JIXIAO_STORAGE=s3``: an S3-compatible object store (AWS S3, MinIO, Ceph RGW, a cloud's OSS/COS with
its S3 endpoint) through django-storages, so several app servers and workers share the same files.
The bucket must exist; objects are private and downloads go through jixiao's own views (which check
who may read them), never through public or presigned URLs handed to browsers.

No Django import: settings.py calls ``default_storage_from_env``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def default_storage_from_env(env: Mapping[str, str]) -> dict[str, Any]:
    kind = env.get("JIXIAO_STORAGE", "local").strip().lower() or "local"
    if kind == "local":
        return dict(LOCAL)
    if kind != "s3":
        raise ValueError(f"JIXIAO_STORAGE must be local or s3, not {kind!r}")
    bucket = env.get("JIXIAO_S3_BUCKET", "").strip()
    if not bucket:
        raise ValueError("JIXIAO_STORAGE=s3 needs JIXIAO_S3_BUCKET")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": env.get("JIXIAO_S3_ENDPOINT_URL", "").strip() or None,
        "region_name": env.get("JIXIAO_S3_REGION", "").strip() or None,
        # Empty: boto3's own chain (instance role, ~/.aws, AWS_* variables).
        "access_key": env.get("JIXIAO_S3_ACCESS_KEY_ID", "").strip() or None,
        "secret_key": env.get("JIXIAO_S3_SECRET_ACCESS_KEY", "").strip() or None,
        "location": env.get("JIXIAO_S3_PREFIX", "").strip().strip("/"),
        "addressing_style": env.get("JIXIAO_S3_ADDRESSING_STYLE", "").strip() or None,
        "default_acl": None,  # private: the bucket's policy decides, never public-read
        "querystring_auth": True,
        "file_overwrite": False,  # like the local disk: a second file with a name gets a new name
        # Reads of large files spill to a temporary file instead of memory.
        "max_memory_size": 8 * 1024 * 1024,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
