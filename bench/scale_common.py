"""What bench/scale.py hands to the per-domain modules (bench/scale_<domain>.py) that add their
rows to the province-scale database and their routes to the measured list."""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass
from typing import Any


@dataclass
class BuildContext:
    """The city as bench/scale.py has built it, for a domain module's ``build``.

    ``units`` are the synthetic units in ``unit_ids`` order (``unit.parent`` is their department);
    the evaluations are in ``department_campaign`` (one per unit) and ``project_campaign``
    (``args.projects`` per unit). Write in bulk (COPY or bulk_create), never one save per row."""

    args: argparse.Namespace
    rng: random.Random
    now: dt.datetime
    bureau: Any
    departments: list[Any]
    unit_ids: list[int]
    units: list[Any]
    department_campaign: Any
    project_campaign: Any
    editor: Any
    reviewer: Any


@dataclass
class MeasureContext:
    """What a domain module's ``routes`` may use: the two benchmark campaigns, a department of
    the synthetic city, and the demo's bureau reviewer (bureau), bureau administrator (admin) and
    department reviewer (dept)."""

    department_campaign: Any
    project_campaign: Any
    some_department: Any
    bureau: Any
    admin: Any
    dept: Any
