"""The one place 整改 tells people about a task (assigned, reported, confirmed, reopened).

Notifications (jixiao.notifications, issue 12 part 1) are built in parallel; until they are wired
here, this hook only logs. Wiring: call their notify(...) API from ``rectification_notice`` — the
recipients are the unit's users for assigned/confirmed/reopened and the task's raiser (or the
unit's department reviewers) for reported; 'due' and 'overdue' reminders come from a periodic job
reading ``selectors.overdue_q``.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def rectification_notice(*, task: Any, event: str, actor: Any) -> None:
    """Called after the commit of every step of a task (``event``: assigned, reported, confirmed,
    reopened). Never raises: a notification must not undo a step."""
    logger.info("rectification %s: task %s by %s", event, task.pk, actor.pk)
    from jixiao.notifications.events import after_rectification_step

    after_rectification_step(task.pk, event, getattr(actor, "pk", None))
