"""Scoring the linker on tests/linking_eval/: per paragraph and corridor, overall, by evidence and by reason."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import yaml

from corridors.data.model import Article
from corridors.text.linking import automatic_excerpts, make_linker

EVAL_DIR = Path(__file__).resolve().parent / "linking_eval"


def eval_articles(holdout: bool | None = None) -> list[tuple[Article, list[dict[str, str]]]]:
    """Each article of the set with, per paragraph, corridor -> the evidence a reader used.

    `holdout`: True for only the articles written after the rules, False for the others, None for all.
    """
    out = []
    for path in sorted(EVAL_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if holdout is not None and bool(data.get("holdout")) != holdout:
            continue
        paragraphs = tuple(p["text"].strip() for p in data["paragraphs"])
        out.append((Article(path.stem, data["title"], paragraphs), [p["expect"] or {} for p in data["paragraphs"]]))
    return out


def reason_rule(reason: str) -> str:
    """The rule a reason names: "alias: ITI" -> "alias"."""
    return reason.split(":", 1)[0]


def score(atlas, holdout: bool | None = None) -> dict:
    """Counts of the linker against the labels; `found` holds (article, paragraph, corridor) -> rules."""
    linker = make_linker(atlas)
    got: dict[tuple[str, int, str], set[str]] = defaultdict(set)
    want: dict[tuple[str, int, str], str] = {}
    for article, labels in eval_articles(holdout):
        excerpts, _ = automatic_excerpts(atlas, article, linker)
        for ex in excerpts:
            for link in ex.links:
                if link.kind == "corridor":
                    got[(article.id, ex.paragraph, link.target)].add(reason_rule(link.reason))
        for p, expect in enumerate(labels):
            want.update({(article.id, p, c): evidence for c, evidence in expect.items()})
    right = set(got) & set(want)
    by_rule_made, by_rule_right = Counter(), Counter()
    for key, rules in got.items():
        for rule in rules:
            by_rule_made[rule] += 1
            by_rule_right[rule] += key in want
    by_evidence_want = Counter(want.values())
    by_evidence_found = Counter(want[k] for k in right)
    return {
        "got": got,
        "want": want,
        "right": right,
        "precision": len(right) / max(len(got), 1),
        "recall": len(right) / max(len(want), 1),
        "made": by_rule_made,
        "made_right": by_rule_right,
        "evidence": by_evidence_want,
        "evidence_found": by_evidence_found,
    }


def report(s: dict, name: str = "evaluation set") -> str:
    lines = [
        f"{name}: precision {s['precision']:.2f} ({len(s['right'])}/{len(s['got'])}), "
        f"recall {s['recall']:.2f} ({len(s['right'])}/{len(s['want'])}) per paragraph and corridor"
    ]
    lines.append("  precision by the linker's reason:")
    for rule in sorted(s["made"]):
        lines.append(
            f"    {rule:<24} {s['made_right'][rule] / s['made'][rule]:.2f} ({s['made_right'][rule]}/{s['made'][rule]})"
        )
    lines.append("  recall by the evidence a reader used:")
    for kind in sorted(s["evidence"]):
        lines.append(
            f"    {kind:<24} {s['evidence_found'][kind] / s['evidence'][kind]:.2f} "
            f"({s['evidence_found'][kind]}/{s['evidence'][kind]})"
        )
    missed = sorted(set(s["want"]) - s["right"])
    wrong = sorted(set(s["got"]) - s["right"])
    lines.append("  missed: " + (", ".join(f"{a}¶{p} {c} ({s['want'][(a, p, c)]})" for a, p, c in missed) or "none"))
    lines.append(
        "  wrong:  "
        + (", ".join(f"{a}¶{p} {c} ({'/'.join(sorted(s['got'][(a, p, c)]))})" for a, p, c in wrong) or "none")
    )
    return "\n".join(lines)
