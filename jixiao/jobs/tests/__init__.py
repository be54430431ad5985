"""Tests of the job core; ``handlers`` registers the job kinds they run."""

from jixiao.jobs.tests import handlers  # noqa: F401
