"""add-article: the round trip, refusing to overwrite, and every kind of bad input."""

from __future__ import annotations

import pytest
import yaml

from corridors.assemble import load_atlas
from corridors.cli import run
from corridors.data.files import dump_yaml
from corridors.text.intake import MAX_ARTICLE_BYTES

NEW = """Alpha news

Trains on the Alpha Railway reached Btown's new yard. Aville was quiet.

Disclaimer: the views are the author's own.
Categories: Rail, Testing
Leave a Reply
"""


@pytest.fixture
def data(world, tmp_path):
    return world.write(tmp_path / "data")


def snapshot(root):
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_round_trip_written_validated_linked(data, tmp_path, capsys):
    source = tmp_path / "alpha-news.txt"
    source.write_text(NEW, encoding="utf-8")
    assert run(["add-article", str(source), "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "proposed links (2 excerpts):" in out
    assert "corridor alpha (Alpha Railway)" in out and "node btown (Btown)" in out
    stored = (data / "articles" / "alpha-news.md").read_text(encoding="utf-8")
    assert stored.startswith("---\ntitle: Alpha news\n") and "categories:\n- Rail\n- Testing" in stored
    assert "Disclaimer" not in stored and "Leave a Reply" not in stored
    assert run(["validate", "--data", str(data)]) == 0
    recorded = [
        e for e in yaml.safe_load((data / "links.yaml").read_text(encoding="utf-8")) if e["article"] == "alpha-news"
    ]
    assert recorded == [
        {
            "article": "alpha-news",
            "paragraph": 0,
            "start": 0,
            "end": 53,
            "quote": "Trains on the Alpha Railway reached Btown's new yard.",
            "origin": "automatic",
            "corridors": ["alpha"],
            "nodes": ["btown"],
            "reason": "alpha: name: Alpha Railway",
        },
        {
            "article": "alpha-news",
            "paragraph": 0,
            "start": 54,
            "end": 71,
            "quote": "Aville was quiet.",
            "origin": "automatic",
            "nodes": ["aville"],
        },
    ]
    atlas = load_atlas(data)
    linked = {(link.target, link.origin) for e in atlas.excerpts if e.article == "alpha-news" for link in e.links}
    assert linked == {("alpha", "automatic"), ("btown", "automatic"), ("aville", "automatic")}
    assert not list((data / "articles").glob(".*.tmp"))  # the temporary file was renamed away


def test_markdown_with_front_matter_and_explicit_id(data, tmp_path, capsys):
    source = tmp_path / "x.md"
    source.write_text(
        "---\ntitle: Given\noutlet: Paper\nurl: https://example.org/x\n---\n\nThe Alpha Railway.\n", encoding="utf-8"
    )
    assert run(["add-article", str(source), "--data", str(data), "--id", "given-id"]) == 0
    assert load_atlas(data).articles["given-id"].outlet == "Paper"


def test_never_overwrites_without_force(data, tmp_path, capsys):
    source = tmp_path / "test-article.md"
    source.write_text("---\ntitle: Test article\n---\n\nReplacement text.\n", encoding="utf-8")
    before = snapshot(data)
    assert run(["add-article", str(source), "--data", str(data)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"{data}/articles/test-article.md: file: already exists; pass --force "
        "to replace it (or --id to store it under another id)"
    )
    assert snapshot(data) == before
    assert run(["add-article", str(source), "--data", str(data), "--force"]) == 0
    assert "Replacement text." in (data / "articles" / "test-article.md").read_text(encoding="utf-8")
    # the curated excerpt of the old text is kept, and reported as no longer matching
    assert "links.yaml: line 4, excerpt 0: " in capsys.readouterr().err


def test_replacing_an_article_replaces_its_recorded_links(data, tmp_path, capsys):
    source = tmp_path / "news.md"
    source.write_text("---\ntitle: News\n---\n\nAville grows.\n", encoding="utf-8")
    assert run(["add-article", str(source), "--data", str(data)]) == 0
    source.write_text("---\ntitle: News\n---\n\nBtown grows.\n", encoding="utf-8")
    assert run(["add-article", str(source), "--data", str(data), "--force"]) == 0
    entries = yaml.safe_load((data / "links.yaml").read_text(encoding="utf-8"))
    assert [(e["article"], e.get("origin", "curated"), e.get("nodes")) for e in entries] == [
        ("test-article", "curated", None),
        ("news", "automatic", ["btown"]),
    ]


def test_nothing_is_written_while_links_yaml_has_problems(data, tmp_path, capsys):
    (data / "links.yaml").write_text("- article: test-article\n  paragraph: x\n", encoding="utf-8")
    source = tmp_path / "news.md"
    source.write_text("---\ntitle: News\n---\n\nAville grows.\n", encoding="utf-8")
    before = snapshot(data)
    assert run(["add-article", str(source), "--data", str(data)]) == 1
    assert "links.yaml: line 1, excerpt 0: " in capsys.readouterr().err
    assert snapshot(data) == before


BAD = {
    "not UTF-8": (
        "a.txt",
        "Caf\u00e9 on the Alpha Railway".encode("latin-1"),
        "a.txt: line 1: is not UTF-8 text (byte 0xe9 at offset 3)",
    ),
    "empty": ("a.md", b"  \n\n ", "a.md: file: is empty"),
    "binary": ("a.txt", b"PK\x03\x04\x00\x00binary", "a.txt: line 1: contains a NUL byte: binary data, not text"),
    "enormous": (
        "a.txt",
        b"x" * (MAX_ARTICLE_BYTES + 1),
        f"a.txt: file: is {MAX_ARTICLE_BYTES + 1:,} bytes; the limit is {MAX_ARTICLE_BYTES:,}",
    ),
    "malformed front matter": (
        "a.md",
        b"---\ntitle: [unclosed\n---\n\nText.\n",
        "a.md: line 3 column 1: malformed YAML: did not find expected ',' or ']'",
    ),
    "unclosed front matter": (
        "a.md",
        b"---\ntitle: x\n\nText.\n",
        "a.md: line 1: front matter starts with '---' but has no closing '---' line",
    ),
    "javascript url": (
        "a.md",
        b"---\ntitle: T\nurl: javascript:alert(1)\n---\n\nText.\n",
        "a.md: front matter 'url': 'javascript:alert(1)' is not an http(s) URL",
    ),
    "wrong kind of file": ("a.pdf", b"%PDF-1.4", "a.pdf: file: must be a .md or .txt file, not '.pdf'"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_gets_its_message_and_changes_nothing(data, tmp_path, capsys, monkeypatch, case):
    name, content, message = BAD[case]
    (tmp_path / name).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    before = snapshot(data)
    assert run(["add-article", name, "--data", str(data)]) == 1
    assert message in capsys.readouterr().err.splitlines()
    assert snapshot(data) == before


def test_missing_file_is_named(data, capsys):
    assert run(["add-article", "/nonexistent/a.md", "--data", str(data)]) == 1
    assert capsys.readouterr().err == "/nonexistent/a.md: file: does not exist or is not a file\n"


def test_a_folder_is_not_an_article(data, tmp_path, capsys):
    assert run(["add-article", str(tmp_path), "--data", str(data)]) == 1
    assert capsys.readouterr().err == f"{tmp_path}: file: does not exist or is not a file\n"


def test_force_keeps_a_reviewers_suppression_and_repairs_its_own_stale_entries(data, tmp_path, capsys):
    source = tmp_path / "news.md"
    source.write_text("---\ntitle: News\n---\n\nThe Alpha Railway reached Btown.\n", encoding="utf-8")
    assert run(["add-article", str(source), "--data", str(data)]) == 0
    entries = yaml.safe_load((data / "links.yaml").read_text(encoding="utf-8"))
    entries[-1]["suppress"] = True  # a reviewer vetoes the recorded link
    entries.append({**entries[-1], "suppress": False, "quote": "stale text"})  # and one entry went stale
    (data / "links.yaml").write_text(dump_yaml(entries), encoding="utf-8")
    assert run(["add-article", str(source), "--data", str(data), "--force"]) == 0
    after = yaml.safe_load((data / "links.yaml").read_text(encoding="utf-8"))
    news = [e for e in after if e["article"] == "news"]
    assert [e.get("suppress", False) for e in news] == [True, False]
    assert all(e["quote"] == "The Alpha Railway reached Btown." for e in news)
    assert run(["validate", "--data", str(data)]) == 0


def test_a_failed_rename_leaves_both_files_as_they_were(data, tmp_path, monkeypatch, capsys):
    import os

    from corridors.data import files

    source = tmp_path / "news.md"
    source.write_text("---\ntitle: News\n---\n\nThe Alpha Railway reached Btown.\n", encoding="utf-8")
    before = snapshot(data)
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the second file's rename
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", failing_replace)
    assert run(["add-article", str(source), "--data", str(data)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{data / 'links.yaml'}: file: cannot be written (the disk is full)"
    ]
    monkeypatch.setattr(files.os, "replace", real_replace)
    assert snapshot(data) == before
    assert not [p for p in data.rglob(".*") if p.is_file()]  # no temporary or backup files left


def test_unicode_line_breaks_and_control_characters_are_cleaned(data, tmp_path, capsys):
    source = tmp_path / "odd.txt"
    source.write_bytes("Odd\nThe Alpha Railway:\u0085a road\u2028to Btown.\x07\n".encode("utf-8"))
    assert run(["add-article", str(source), "--data", str(data)]) == 0
    assert run(["validate", "--data", str(data)]) == 0
    assert load_atlas(data).articles["odd"].paragraphs == ("The Alpha Railway: a road to Btown.",)


def test_an_interrupted_add_article_writes_nothing(data, tmp_path, monkeypatch):
    """The write is the last step: stopped while linking (Ctrl-C), nothing is there yet."""
    from corridors.text import intake

    source = tmp_path / "news.md"
    source.write_text("---\ntitle: News\n---\n\nThe Alpha Railway reached Btown.\n", encoding="utf-8")
    before = snapshot(data)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(intake, "automatic_excerpts", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(["add-article", str(source), "--data", str(data)])
    assert snapshot(data) == before


def test_nothing_runs_after_the_write(data, tmp_path, monkeypatch, capsys):
    """Once the files are renamed into place add-article only prints: it no longer reloads (and relinks)
    the whole folder, which a 900 KB article made take minutes after the files were already written."""
    from corridors import cli

    source = tmp_path / "news.md"
    source.write_text("---\ntitle: News\n---\n\nThe Alpha Railway reached Btown.\n", encoding="utf-8")
    loads = []
    real = cli.load_atlas
    monkeypatch.setattr(cli, "load_atlas", lambda *a: loads.append(a) or real(*a))
    assert run(["add-article", str(source), "--data", str(data)]) == 0
    assert len(loads) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"wrote {data}/articles/news.md and recorded its 1 excerpt(s) in {data}/links.yaml"
    )


def test_a_curated_excerpt_that_no_longer_matches_is_a_warning_given_before_writing(data, tmp_path, capsys):
    source = tmp_path / "news.md"
    source.write_text("---\ntitle: News\n---\n\nThe Alpha Railway reached Btown.\n", encoding="utf-8")
    assert run(["add-article", str(source), "--data", str(data)]) == 0
    links = yaml.safe_load((data / "links.yaml").read_text(encoding="utf-8"))
    links.append(
        {"article": "news", "paragraph": 0, "start": 0, "end": 17, "quote": "The Alpha Railway", "corridors": ["alpha"]}
    )
    (data / "links.yaml").write_text(dump_yaml(links), encoding="utf-8")
    source.write_text("---\ntitle: News\n---\n\nBtown was reached by the Alpha Railway.\n", encoding="utf-8")
    capsys.readouterr()
    assert run(["add-article", str(source), "--data", str(data), "--force"]) == 0
    out, err = capsys.readouterr()
    line = len((data / "links.yaml").read_text(encoding="utf-8").split("\n- article: news\n")[0].splitlines()) + 1
    assert err.splitlines() == [
        f"warning: {data}/links.yaml: line {line}, excerpt {len(links) - 2}: quote does not match the paragraph's "
        "text at 0..17: the text there is 'Btown was reached'"
    ]
    assert "Btown was reached" in (data / "articles" / "news.md").read_text(encoding="utf-8")


def test_the_reader_links_within_a_size_budget_and_says_so(data):
    from corridors.data.model import Article
    from corridors.text.intake import link_for_reader

    atlas = load_atlas(data)
    article = Article(id="long", title="Long", paragraphs=("The Alpha Railway reached Btown. " * 100,))
    shown, excerpts, mentions, note = link_for_reader(atlas, article, max_chars=1000)
    assert len(shown.paragraphs[0]) == 999 and shown.paragraphs[0].endswith(" Btown. The Alpha")  # cut at a space
    assert len(excerpts) == 30 and all(m.end <= len(shown.paragraphs[0]) for m in mentions)
    assert note == (
        "This article has 3,300 characters; the reader links and shows the first 1,000. "
        "`python -m corridors add-article FILE --dry-run` links all of it."
    )
    assert link_for_reader(atlas, article)[3] is None  # within the budget: all of it, no note


def test_the_reader_stops_linking_when_its_time_is_spent(data):
    from corridors.data.model import Article
    from corridors.text.intake import link_for_reader

    atlas = load_atlas(data)
    article = Article(id="long", title="Long", paragraphs=("The Alpha Railway reached Btown. " * 100,))
    shown, excerpts, mentions, note = link_for_reader(atlas, article, seconds=0)
    assert (excerpts, mentions) == ([], []) and shown == article
    assert note == (
        "Linking this article took longer than the 0 seconds the reader allows, so it shows the text without "
        "highlights. `python -m corridors add-article FILE --dry-run` links all of it."
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. A went. Mr. B came. Dr. C stayed.", ["Mr. A went.", "Mr. B came.", "Dr. C stayed."]),
        ("Mr. " * 5 + "Smith left. Then", ["Mr. Mr. Mr. Mr. Mr. Smith left.", "Then"]),
        ("Stop!!! Go?! (Yes.) No", ["Stop!!!", "Go?!", "(Yes.)", "No"]),
        ("." * 50 + " A", ["." * 50, "A"]),
    ],
)
def test_sentences_after_abbreviations_and_runs_of_marks(text, expected):
    from corridors.text.linking import sentence_spans

    assert [text[a:b] for a, b in sentence_spans(text)] == expected
