"""报告审查 writes: start the audit of uploaded reports as a background job.

Nothing is audited inside the request: the view stores the files and creates a job
(jixiao.jobs); the handler (jixiao.audit.jobs) audits each file in a resource-limited child
process (jixiao.audit.isolated) and writes the result to its row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from jixiao.activity.services import record_event
from jixiao.activity.texts import log_text
from jixiao.audit.models import AuditedFile
from jixiao.jobs.models import Job
from jixiao.jobs.services import create_job
from jixiao.organisations.models import User

KIND = "audit.upload"


@transaction.atomic
def request_upload_audit(*, user: User, uploads: Sequence[Any], ruleset: str = "") -> Job:
    """Store the uploaded files and queue their audit; the job starts after the commit.

    Each upload gets a row (in the order given) holding the file until its audit ends. A file in
    a format the auditor does not read is kept too: its row then says why it was not audited.
    ``ruleset``: the ``id@version`` the user picked (one the form offered), or "" for the one
    each report names, else the default for its kind.
    """
    names = [str(upload.name or _("（无文件名）"))[:255] for upload in uploads]
    job = create_job(
        kind=KIND,
        title=_("报告审查：{first}等 {n} 份").format(first=names[0], n=len(names))
        if len(names) > 1
        else _("报告审查：{first}").format(first=names[0]),
        requested_by=user,
        total=len(names),
        params={"ruleset": ruleset} if ruleset else None,
    )
    stored: list[AuditedFile] = []
    try:
        for position, (upload, name) in enumerate(zip(uploads, names, strict=True)):
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            row = AuditedFile(
                job=job, position=position, name=name, size=int(upload.size or 0),
                sha256=digest.hexdigest(),
            )  # fmt: skip
            # streamed to storage under a neutral name: the user's file name never is a path
            row.upload.save(f"job-{job.pk}-{position}.bin", File(upload), save=False)
            stored.append(row)
            row.save()
    except BaseException:
        for row in stored:  # the transaction rolls back; the files it stored go with it
            row.upload.delete(save=False)
        raise
    record_event(
        actor=user,
        action="audit.upload",
        target=job,
        summary=log_text("上传 {n} 份报告进行审查", n=len(names)),
        details={"files": names, **({"ruleset": ruleset} if ruleset else {})},
    )
    return job
