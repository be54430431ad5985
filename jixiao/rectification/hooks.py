"""The one place 整改 tells people about a task (assigned, reported, confirmed, reopened).

It logs the step and hands it to jixiao.notifications.events.after_rectification_step: the unit's
people hear of assigned / confirmed / reopened, the task's raiser and the department's reviewers of
reported. The 'due' and 'overdue' reminders come from the daily job
(notifications.reminders.remind_rectification, reading ``selectors.overdue_q``'s rule).
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
