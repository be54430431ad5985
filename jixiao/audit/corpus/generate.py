"""Build the corpus: bases × (clean + each defect) × noise plans × formats, and its manifest.

Deterministic: the same ``seed`` gives byte-identical txt and the same manifest (docx and pdf carry
their writers' timestamps, their text is the same).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from jixiao.audit.corpus.bases import Base, Facts, all_bases
from jixiao.audit.corpus.defects import CANCELS, DEFECTS, NotApplicable
from jixiao.audit.corpus.noise import ENCODING_NOISE, NOISE_NAMES, apply_noise, paragraphs_of
from jixiao.audit.corpus.writers import HEADING_MODES, write_docx, write_pdf, write_txt

DEFAULT_SEED = 20251125
FORMATS = ("txt", "docx", "pdf")
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class Case:
    """One corpus file and what the auditor should find in it."""

    id: str
    path: str  # relative to the corpus directory
    format: str
    base: str
    defect: str  # "clean" or a defect class name
    noise: tuple[str, ...]
    heading_mode: str
    defects: tuple[str, ...]  # every defect class present: the planted one and the base's own
    expected_fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Corpus:
    directory: Path
    seed: int
    cases: tuple[Case, ...]

    def manifest(self) -> dict[str, object]:
        return {"seed": self.seed, "cases": [asdict(c) for c in self.cases]}


def variants(base: Base, rng: random.Random) -> Iterator[tuple[str, str, Facts, bool]]:
    """(defect name, text, facts, is a defect): the clean base, then every defect that applies."""
    yield "clean", base.text, base.facts, False
    for defect in DEFECTS:
        try:
            text, facts = defect.plant(base, rng)
        except NotApplicable:
            continue
        yield defect.name, text, facts, not defect.control


def noise_plans(defect: str, rng: random.Random) -> list[tuple[str, ...]]:
    """No noise; one random mix of 2–4 transforms; for clean texts also each transform alone."""
    plans: list[tuple[str, ...]] = [()]
    names = list(NOISE_NAMES)
    plans.append(tuple(sorted(rng.sample(names, k=rng.randint(2, 4)))))
    if defect == "clean":
        plans.extend((name,) for name in names)
        plans.append(tuple(names))
    return plans


def generate_corpus(
    outdir: Path,
    *,
    seed: int = DEFAULT_SEED,
    formats: Iterable[str] = FORMATS,
    variants_per_seed: int = 2,
    renderer_binaries: bool = True,
    every_pdf: bool = True,
) -> Corpus:
    """Write the corpus and manifest.json into ``outdir``; return the corpus.

    ``every_pdf=False`` writes a pdf only for the noise-free plan and for the clean text with every
    noise at once (a pdf takes ~0.15 s to lay out; the tests use it to stay quick).
    """
    wanted = tuple(f for f in FORMATS if f in set(formats))
    rng = random.Random(seed)
    outdir.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    bases = all_bases(rng, variants=variants_per_seed, with_binaries=renderer_binaries)
    for base in bases:
        for defect, text, facts, planted in variants(base, rng):
            inherent = set(base.inherent) - CANCELS.get(defect, frozenset())
            defects = tuple(sorted({*inherent, *((defect,) if planted else ())}))
            plans = noise_plans(defect, rng)
            for plan_index, plan in enumerate(plans):
                # one generator per case, so choosing fewer formats leaves the others unchanged
                case_rng = random.Random(f"{seed}/{base.name}/{defect}/{plan_index}")
                doc = apply_noise(paragraphs_of(text), plan, case_rng)
                heading_mode = "style"
                if "heading_styles" in plan:
                    heading_mode = case_rng.choice(HEADING_MODES)
                tag = "all_noise" if set(plan) == set(NOISE_NAMES) else "+".join(plan) or "plain"
                for fmt in wanted:
                    if fmt != "txt" and plan == (ENCODING_NOISE,):
                        continue  # an encoding is a txt matter: the same as the plain docx/pdf
                    if fmt == "pdf" and not every_pdf and 0 < plan_index < len(plans) - 1:
                        continue
                    if fmt == "pdf" and not every_pdf and plan_index and defect != "clean":
                        continue
                    case_id = f"{base.name}-{defect}-{tag}"
                    rel = f"{fmt}/{case_id}.{fmt}"
                    if fmt == "txt":
                        encoding = "gb18030" if ENCODING_NOISE in plan else "utf-8"
                        content = write_txt(doc, random.Random(case_id), encoding)
                    elif fmt == "docx":
                        content = write_docx(doc, heading_mode)
                    else:
                        content = write_pdf(doc, heading_mode)
                    (outdir / fmt).mkdir(exist_ok=True)
                    (outdir / rel).write_bytes(content)
                    cases.append(
                        Case(case_id, rel, fmt, base.name, defect, plan, heading_mode, defects,
                             facts.as_fields())
                    )  # fmt: skip
        for fmt, content in base.rendered.items():
            if fmt not in wanted:
                continue
            case_id = f"{base.name}-clean-renderer"
            rel = f"{fmt}/{case_id}.{fmt}"
            (outdir / fmt).mkdir(exist_ok=True)
            (outdir / rel).write_bytes(content)
            cases.append(
                Case(case_id, rel, fmt, base.name, "clean", ("renderer",), "style",
                     tuple(sorted(base.inherent)), base.facts.as_fields())
            )  # fmt: skip
    corpus = Corpus(outdir, seed, tuple(cases))
    (outdir / MANIFEST_NAME).write_text(
        json.dumps(corpus.manifest(), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return corpus


def load_manifest(directory: Path) -> Corpus:
    """Read a corpus written by ``generate_corpus``."""
    data = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
    cases = tuple(
        Case(**{**c, "noise": tuple(c["noise"]), "defects": tuple(c["defects"])})
        for c in data["cases"]
    )
    return Corpus(directory, int(data["seed"]), cases)
