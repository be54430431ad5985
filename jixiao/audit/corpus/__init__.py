"""审查语料 (audit corpus): reports with known defects, to measure the auditor (jixiao.audit).

From the published seed report and from reports rendered by ``jixiao.documents`` (the seed's data
and seeded random changes of it), ``generate_corpus`` plants one known defect at a time (see
``defects.DEFECTS``), adds layout noise (``noise.NOISES``) and writes each variant as txt, docx and
pdf, with ``manifest.json`` naming every file's defect classes and the facts it states.

    python -m jixiao.audit.corpus OUTDIR [--seed N] [--formats txt,docx,pdf]

Nothing is committed: tests generate the corpus into a temporary directory. docs/audit-corpus.md
describes the defect classes and the measured accuracy.
"""

from jixiao.audit.corpus.generate import (
    DEFAULT_SEED,
    FORMATS,
    Case,
    Corpus,
    generate_corpus,
    load_manifest,
)

__all__ = ["DEFAULT_SEED", "FORMATS", "Case", "Corpus", "generate_corpus", "load_manifest"]
