"""Files through Django's storage API on S3-compatible object storage: an S3 server (moto's server
mode) started by the test on loopback, jixiao configured from the environment variables as a
deployment would be (config/storage.py). Evidence is uploaded, downloaded and verified; a batch
job's ZIPs (its parts and its result) are stored and downloaded; /readyz checks the bucket; a
changed object is reported by verify_documents. Nothing is written to MEDIA_ROOT."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from config.storage import default_storage_from_env
from jixiao.documents.batch import request_packages
from jixiao.evaluations.services import attach_evidence
from jixiao.evaluations.tests.test_evidence import real_pdf
from jixiao.jobs.models import Job, JobPart

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

BUCKET = "jixiao-test"
PDF = real_pdf()


@pytest.fixture(scope="module")
def s3_endpoint():  # type: ignore[no-untyped-def]
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.MEDIA_ROOT = tmp_path / "media-must-stay-empty"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": default_storage_from_env(
            {
                "JIXIAO_STORAGE": "s3",
                "JIXIAO_S3_BUCKET": BUCKET,
                "JIXIAO_S3_ENDPOINT_URL": s3_endpoint,
                "JIXIAO_S3_REGION": "us-east-1",
                "JIXIAO_S3_ACCESS_KEY_ID": "testing",
                "JIXIAO_S3_SECRET_ACCESS_KEY": "testing",
                "JIXIAO_S3_PREFIX": "media",
                "JIXIAO_S3_ADDRESSING_STYLE": "path",
            }
        ),
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
    assert not settings.MEDIA_ROOT.exists()


def _keys(client) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_evidence_lives_in_the_bucket_and_is_verified(s3, world, client, capsys):
    from django.core.files.storage import storages

    assert type(storages["default"]).__name__ == "S3Storage"
    item = attach_evidence(
        user=world.editor,
        evaluation_id=world.evaluation.pk,
        indicator_code="T1",
        upload=SimpleUploadedFile("台账.pdf", PDF),
    )
    key = f"media/{item.file.name}"
    assert key in _keys(s3)
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == PDF
    client.force_login(world.editor)
    response = client.get(
        reverse(
            "evaluations:evidence_download",
            kwargs={"pk": world.evaluation.pk, "evidence_id": item.pk},
        )
    )
    assert response.status_code == 200
    assert response.content == PDF
    call_command("verify_documents")
    s3.put_object(Bucket=BUCKET, Key=key, Body=PDF + b"changed")
    with pytest.raises(CommandError):
        call_command("verify_documents")
    assert "台账.pdf）：SHA-256 与登记值不符" in capsys.readouterr().out


def test_a_batch_job_stores_its_parts_and_result_in_the_bucket(
    s3, world, settings, client, django_capture_on_commit_callbacks
):
    settings.JIXIAO_BATCH_PART_UNITS = 1
    ids = [world.evaluation.pk, world.other_evaluation.pk, world.foreign_evaluation.pk]
    with django_capture_on_commit_callbacks(execute=True):
        job = request_packages(
            user=world.bureau_admin, evaluation_ids=ids, title="全市", formats="txt"
        )
    job.refresh_from_db()
    assert (job.state, job.done_count) == (Job.State.DONE, 3)
    keys = _keys(s3)
    parts = JobPart.objects.filter(job=job)
    assert {f"media/{p.file.name}" for p in parts} <= set(keys)
    assert f"media/{job.result.name}" in keys
    client.force_login(world.bureau_admin)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert len(zipfile.ZipFile(io.BytesIO(body)).namelist()) == 4


def test_readyz_checks_the_bucket(s3, client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["storage"]["ok"] is True
    assert _keys(s3) == []  # the probe's file was removed


def test_backup_takes_the_media_from_the_bucket_and_restore_puts_them_back(s3, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from jixiao.web import backup

    storage = storages["default"]
    storage.save("evidence/1/a.pdf", ContentFile(PDF))
    storage.save("jobs/result.zip", ContentFile(b"zip bytes"))
    files = backup._collect_media(tmp_path / "unused", tmp_path / "work")
    assert sorted(arcname for _path, arcname in files) == [
        "media/evidence/1/a.pdf",
        "media/jobs/result.zip",
    ]
    assert dict((a, p.read_bytes()) for p, a in files)["media/evidence/1/a.pdf"] == PDF
    # Lost in the bucket, then restored from the downloaded copies under the same names.
    restored = tmp_path / "work" / "media-download"
    storage.delete("evidence/1/a.pdf")
    s3.put_object(Bucket=BUCKET, Key="media/jobs/result.zip", Body=b"damaged")
    assert backup.restore_media_to_object_storage(restored) == 2
    assert s3.get_object(Bucket=BUCKET, Key="media/evidence/1/a.pdf")["Body"].read() == PDF
    assert s3.get_object(Bucket=BUCKET, Key="media/jobs/result.zip")["Body"].read() == b"zip bytes"
