"""Automatic linking: matching rules, sentences, curated additions and suppressions, and its measured quality."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from linking_eval_score import report, score

from corridors.assemble import load_atlas
from corridors.cli import run
from corridors.data.model import Article
from corridors.text.linking import (
    Linker,
    Term,
    automatic_excerpts,
    make_linker,
    mode_words,
    references,
    sentence_spans,
    tokens,
)

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "expected" / "seed_links.yaml"
SEED = "pakistan-kazakhstan-relations"
# The quality reached on the seed article; the test requires it to stay at or above these.
MIN_PRECISION, MIN_RECALL = 1.0, 0.93
# The targets on the evaluation set (tests/linking_eval/), per paragraph and corridor.
EVAL_PRECISION, EVAL_RECALL = 0.90, 0.80


def _linker(*names_targets):
    terms = []
    for name, target in names_targets:
        toks = tuple(t.norm for t in tokens(name))
        letters = [c for c in name if c.isalpha()]
        terms.append(Term(toks, "corridor", target, name, len(letters) <= 6 and name.isupper()))
    return Linker(terms)


def found(linker, text):
    return [(text[m.start : m.end], m.target) for m in linker.mentions(text)]


def test_case_punctuation_hyphens_and_possessives_do_not_matter():
    linker = _linker(("Karakoram Highway", "kkh"), ("Mazar-i-Sharif", "mazar"), ("Pakistan", "pak"))
    assert found(linker, "the KARAKORAM highway's traffic") == [("KARAKORAM highway", "kkh")]
    assert found(linker, "to Mazar i Sharif and (Mazar-i-Sharif).") == [
        ("Mazar i Sharif", "mazar"),
        ("Mazar-i-Sharif", "mazar"),
    ]
    assert found(linker, "Pakistan’s outlet, Pakistan's ports") == [("Pakistan", "pak"), ("Pakistan", "pak")]


def test_acronyms_must_be_capitals_and_whole_words():
    linker = _linker(("ECO", "eco"), ("ELB", "elb"))
    assert found(linker, "ECO members, eco-friendly, an ecosystem, the ELB.") == [("ECO", "eco"), ("ELB", "elb")]


def test_longest_name_wins_and_shared_aliases_link_all():
    linker = _linker(("CPEC", "west"), ("CPEC", "east"), ("CPEC Western Route", "west"))
    assert found(linker, "the CPEC Western Route") == [("CPEC Western Route", "west")]
    assert found(linker, "its CPEC.") == [("CPEC", "west"), ("CPEC", "east")]


def test_sentences_do_not_split_after_abbreviations_or_initials():
    text = "Dr. Khan met the U.S. envoy. Trains run 3 km. Next one! A. B. Smith said so."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Dr. Khan met the U.S. envoy.",
        "Trains run 3 km.",
        "Next one!",
        "A. B. Smith said so.",
    ]


def _pairs(atlas, excerpts):
    return {
        (e.paragraph, e.start, link.kind, link.target)
        for e in excerpts
        for link in e.links
        if link.origin != "suppressed"
    }


def expected_pairs(atlas):
    article = atlas.articles[SEED]
    out = set()
    for item in yaml.safe_load(EXPECTED.read_text(encoding="utf-8")):
        start = article.paragraphs[item["paragraph"]].index(item["sentence"])
        for key, kind in (("corridors", "corridor"), ("nodes", "node"), ("organisations", "organisation")):
            out |= {(item["paragraph"], start, kind, t) for t in item.get(key, [])}
    return out


def test_precision_and_recall_on_the_seed_article(real_atlas):
    article = real_atlas.articles[SEED]
    auto, _ = automatic_excerpts(real_atlas, article, make_linker(real_atlas))
    got, want = _pairs(real_atlas, auto), expected_pairs(real_atlas)
    hits = len(got & want)
    precision, recall = hits / len(got), hits / len(want)
    print(
        f"\nautomatic links on the seed article: precision {precision:.2f} ({hits}/{len(got)}), "
        f"recall {recall:.2f} ({hits}/{len(want)})"
    )
    print("  missed:", sorted(want - got), "\n  wrong:", sorted(got - want))
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL


def test_curated_links_complete_the_seed_article(real_atlas):
    merged = [e for e in real_atlas.excerpts if e.article == SEED]
    assert _pairs(real_atlas, merged) == expected_pairs(real_atlas)


def test_curated_link_adds_and_suppression_removes(world, tmp_path):
    world.links = [
        {
            "article": "test-article",
            "paragraph": 1,
            "start": 0,
            "end": 30,
            "quote": "Nobody mentions anything here.",
            "nodes": ["btown"],
        },
        {
            "article": "test-article",
            "paragraph": 0,
            "start": 0,
            "end": 41,
            "quote": "The Alpha Railway links Aville and Btown.",
            "nodes": ["btown"],
            "suppress": True,
        },
    ]
    atlas = load_atlas(world.write(tmp_path / "d"))
    assert atlas.problems == []
    links = {(e.paragraph, l.kind, l.target, l.origin) for e in atlas.excerpts for l in e.links}
    assert links == {
        (0, "corridor", "alpha", "automatic"),
        (0, "node", "aville", "automatic"),
        (1, "node", "btown", "curated"),
    }


def test_a_suppressed_link_is_not_highlighted_and_alternatives_count_for_their_corridor(world, tmp_path):
    world.corridors[0]["alternatives"] = [{"id": "alpha-south", "name": "Alpha South", "segments": ["aville-border"]}]
    world.links = [
        {
            "article": "test-article",
            "paragraph": 0,
            "start": 0,
            "end": 41,
            "quote": "The Alpha Railway links Aville and Btown.",
            "corridors": ["alpha"],
            "suppress": True,
        },
        {
            "article": "test-article",
            "paragraph": 1,
            "start": 0,
            "end": 30,
            "quote": "Nobody mentions anything here.",
            "corridors": ["alpha-south"],
        },
    ]
    atlas = load_atlas(world.write(tmp_path / "d"))
    assert atlas.problems == []
    assert [(m.kind, m.target) for m in atlas.mentions["test-article"]] == [("node", "aville"), ("node", "btown")]
    links = {(e.paragraph, l.target, l.origin) for e in atlas.excerpts for l in e.links}
    assert links == {(0, "aville", "automatic"), (0, "btown", "automatic"), (1, "alpha", "curated")}


# --- Rules for articles no one here wrote (issue 12) ------------------------------------------------------


def links(atlas, *paragraphs):
    """{paragraph: {corridor: reason}} the linker makes for an article of these paragraphs."""
    article = Article("t", "t", tuple(paragraphs))
    excerpts, _ = automatic_excerpts(atlas, article, make_linker(atlas))
    out: dict[int, dict[str, str]] = {}
    for ex in excerpts:
        for link in ex.links:
            if link.kind == "corridor":
                out.setdefault(ex.paragraph, {}).setdefault(link.target, link.reason)
    return out


def corridors_of(atlas, *paragraphs):
    return {p: set(found) for p, found in links(atlas, *paragraphs).items()}


def test_a_crossing_station_or_pass_of_one_corridor_links_it_on_its_own(real_atlas):
    assert links(real_atlas, "DOSTYK, Kazakhstan — Container trains waited four days.") == {
        0: {"elb": "single-corridor place: DOSTYK"}
    }
    assert corridors_of(
        real_atlas,
        "Wagons queued at Dostyk station.",
        "The Khunjerab Pass reopened.",
        "Customs officers at Serhetyaka were busy.",
    ) == {0: {"elb"}, 1: {"kkh"}, 2: {"kti"}}


def test_a_crossing_of_the_other_mode_does_not_link(real_atlas):
    # Torkham is on the planned railway, but trucks at Torkham are road traffic.
    assert links(real_atlas, "Hundreds of trucks were stuck at Torkham on Sunday.") == {}


def test_a_town_on_one_corridor_needs_the_mode_in_its_sentence(real_atlas):
    assert links(real_atlas, "ETREK, Turkmenistan — Leaders opened the railway on Wednesday.") == {
        0: {"kti": "place and mode: ETREK, rail"}
    }
    assert (
        links(
            real_atlas,
            "Talks were held in Kabul.",
            "Opposition leaders in Lahore met.",
            "The presidents flew to Ashgabat for talks on gas.",
        )
        == {}
    )
    assert corridors_of(real_atlas, "Almaty unveiled a ring road and cycle lanes.") == {}


def test_a_place_on_several_corridors_needs_the_mode_or_a_second_place(real_atlas):
    assert links(real_atlas, "QUETTA — A freight train left for Turkey.") == {
        0: {"rail-via-iran": "place and mode: QUETTA, rail"}
    }
    assert corridors_of(real_atlas, "The motorway past Multan carried more trucks.") == {0: {"cpec-eastern"}}
    assert links(real_atlas, "Peshawar's railway station was repainted.") == {}  # ML-1 or the Trans-Afghan line
    assert links(real_atlas, "Traders in Karachi truck their containers to Quetta.") == {}  # no one road has both


def test_the_mode_decides_which_corridor_two_places_are_on(real_atlas):
    train = (
        "The train was routed via Lahore, Khanewal, Multan, Sukkur, Sibi, Nushki and Taftan, and will cross "
        "into Iran before reaching Zahidan."
    )
    assert corridors_of(real_atlas, train) == {0: {"ml1", "rail-via-iran"}}  # not the CPEC eastern road
    road = "The motorway between Multan and Sukkur carried more trucks."
    assert links(real_atlas, road) == {0: {"cpec-eastern": "two places: Multan, Sukkur"}}
    assert links(real_atlas, "Floods damaged houses in Multan and Sukkur.") == {}  # no mode: not a corridor


def test_places_on_a_shared_trunk_link_the_corridor_that_owns_it(real_atlas):
    # Sost and the Khunjerab Pass lie on the KKH, which both CPEC alignments borrow.
    assert corridors_of(real_atlas, "SOST — Trucks queued as the Khunjerab Pass reopened.") == {0: {"kkh"}}


def test_a_dateline_counts_on_its_own_not_as_a_second_place(real_atlas):
    text = "ASHGABAT — Turkmen railways carried more freight on the line through Bereket and Etrek."
    assert corridors_of(real_atlas, text) == {0: {"kti"}}  # not the route via Iran through Ashgabat


def test_plain_khorgos_is_the_crossing_as_a_whole(real_atlas):
    linker = make_linker(real_atlas)
    text = "cranes at Altynkol–Khorgos; at Khorgos the gauge changes"
    assert [(text[m.start : m.end], m.target) for m in linker.mentions(text)] == [
        ("Altynkol", "altynkol"),
        ("Khorgos", "khorgos-chn"),
        ("Khorgos", "altynkol"),
        ("Khorgos", "khorgos-chn"),
        ("Khorgos", "altynkol"),
    ]
    assert corridors_of(real_atlas, "At Khorgos, where the gauge changes, bogies are swapped.") == {0: {"elb"}}


@pytest.mark.parametrize(
    "text, corridor",
    [
        ("the ITI freight train", "rail-via-iran"),
        ("the Islamabad-Tehran-Istanbul service", "rail-via-iran"),
        ("the Trans-Afghan route", "pakafuz"),
        ("the Trans-Afghan corridor", "pakafuz"),
        ("the North-South Corridor", "kti"),
    ],
)
def test_names_people_write_for_the_corridors(real_atlas, text, corridor):
    assert corridors_of(real_atlas, text) == {0: {corridor}}


@pytest.mark.parametrize(
    "text, node",
    [
        ("Akyaila", "ak-yayla"),
        ("Termiz", "termez"),
        ("Mazar-i-Sharif", "mazar-i-sharif"),
        ("Zahidan", "zahedan"),
        ("Meshhed", "mashhad"),
        ("Tedzhen", "tejen"),
        ("Serkhetyaka", "serhetyaka"),
        ("Uzen", "zhanaozen"),
        ("Достык", "dostyk"),
        ("Хоргос", "altynkol"),
    ],
)
def test_spellings_and_transliterations_find_the_place(real_atlas, text, node):
    assert node in [m.target for m in make_linker(real_atlas).mentions(f"trains at {text} today")]


def test_gyzylgaya_bereket_etrek_links_the_kti(real_atlas):
    assert corridors_of(real_atlas, "the railway through Gyzylgaya-Bereket-Etrek") == {0: {"kti"}}


def test_a_reference_links_the_corridor_named_last_in_the_paragraph(real_atlas):
    found = links(real_atlas, "Freight to Iran uses the KTI. Officials said the route would carry 10 Mt a year.")
    assert found == {0: {"kti": "alias: KTI"}}
    article = Article("t", "t", ("Freight to Iran uses the KTI. Officials said the route would carry 10 Mt.",))
    excerpts, _ = automatic_excerpts(real_atlas, article, make_linker(real_atlas))
    assert [(e.start, [(link.target, link.reason) for link in e.links]) for e in excerpts] == [
        (0, [("kti", "alias: KTI")]),
        (30, [("kti", "inferred: 'the route' after KTI")]),
    ]


def test_a_reference_of_a_mode_takes_the_last_corridor_of_that_mode(real_atlas):
    found = links(real_atlas, "The ML-1 upgrade falls under CPEC. The line was built in the 1890s.")
    assert found[0]["ml1"] == "alias: ML-1"
    article = Article("t", "t", ("Talks covered the KKH and the ML-1 upgrade. The road reopened on Monday.",))
    excerpts, _ = automatic_excerpts(real_atlas, article, make_linker(real_atlas))
    assert [(link.target, link.reason) for link in excerpts[-1].links] == [("kkh", "inferred: 'The road' after KKH")]


def test_a_reference_carries_into_a_paragraph_that_continues(real_atlas):
    first = "Officials met to agree the survey schedule for the Trans-Afghan corridor."
    assert links(real_atlas, first, "Its cost is high. Officials say the route would cut delivery times.")[1] == {
        "pakafuz": "inferred: 'the route' after PAKAFUZ"
    }
    assert links(real_atlas, first, "The line would run through Logar.")[1] == {
        "pakafuz": "inferred: 'The line' after PAKAFUZ"
    }
    # A paragraph that starts afresh does not continue, and a reference reaches back one paragraph only.
    assert 1 not in links(
        real_atlas, first, "Fishermen say the port brought checkpoints. Protests closed the coastal road."
    )
    assert 2 not in links(real_atlas, first, "Talks were held in Kabul.", "The project is late.")


def test_the_two_projects_take_the_last_two_corridors(real_atlas):
    found = links(
        real_atlas,
        "Officials discussed the Trans-Afghan railway and the KTI.",
        "The two projects would link Pakistan with Central Asia.",
    )
    assert found[1] == {
        "kti": "inferred: 'The two projects' after KTI",
        "pakafuz": "inferred: 'The two projects' after PAKAFUZ",
    }


def test_a_specific_alignment_wins_over_the_name_it_shares(real_atlas):
    text = "The road is part of the eastern alignment of the China–Pakistan Economic Corridor."
    assert corridors_of(real_atlas, text) == {0: {"cpec-eastern"}}
    assert corridors_of(real_atlas, "Loans under CPEC.") == {0: {"cpec-western", "cpec-eastern"}}


def test_mode_words_skip_their_other_meanings():
    assert mode_words(
        "the Belt and Road Initiative, the Silk Road, in line with, the Line of Control, a police "
        "station, on track, trains pass through"
    ) == [
        (
            len(
                "the Belt and Road Initiative, the Silk "
                "Road, in line with, the Line of Control, "
                "a police station, on track, "
            ),
            "rail",
        )
    ]
    assert [m for _, m in mode_words("trucks on the highway over the Khunjerab Pass; a train at the station")] == [
        "road",
        "road",
        "road",
        "rail",
        "rail",
    ]


def test_references_are_a_determiner_a_few_lower_case_words_and_a_noun():
    text = "The 392-km road; the railway company; the Karakoram Highway; the two projects; this emerging corridor"
    assert [(r.phrase, r.mode, r.count) for r in references(text)] == [
        ("The 392-km road", "road", 1),
        ("the two projects", "", 2),
        ("this emerging corridor", "", 1),
    ]


def test_every_automatic_link_says_why(real_atlas):
    article = real_atlas.articles[SEED]
    excerpts, _ = automatic_excerpts(real_atlas, article, make_linker(real_atlas))
    assert excerpts and all(link.reason for e in excerpts for link in e.links)
    reasons = {link.reason for e in excerpts for link in e.links if link.target == "pakafuz"}
    assert "inferred: 'this emerging corridor' after PAKAFUZ" in reasons  # the seed's former miss


def test_precision_and_recall_on_the_evaluation_set(real_atlas):
    whole, first, held_out = score(real_atlas), score(real_atlas, False), score(real_atlas, True)
    print("\n" + report(whole, "evaluation set, all articles"))
    print(report(first, "  articles written with the rules").splitlines()[0])
    print(report(held_out, "  articles written after the rules (held out)").splitlines()[0])
    for s in (whole, first, held_out):
        assert s["precision"] >= EVAL_PRECISION and s["recall"] >= EVAL_RECALL


def test_add_article_shows_why_each_link_was_made(tmp_path, capsys):
    source = tmp_path / "etrek.txt"
    source.write_text(
        "Railway opens\nETREK, Turkmenistan — The leaders opened the railway.\n"
        "Officials said the route would carry 10 Mt a year.\n",
        encoding="utf-8",
    )
    assert run(["add-article", str(source), "--dry-run", "--data", str(ROOT / "geodata")]) == 0
    out = capsys.readouterr().out
    assert "corridor kti (Kazakhstan–Turkmenistan–Iran railway) [place and mode: ETREK, rail]" in out
    assert "[inferred: 'the route' after KTI]" in out


# --- spellings.yaml --------------------------------------------------------------------------------------


def test_spellings_file_adds_names_that_link(world, tmp_path):
    root = world.write(tmp_path / "d")
    (root / "spellings.yaml").write_text(
        "- spelling: Ayvil\n  nodes: [aville]\n  source: test\n"
        "- spelling: Alpha Line\n  corridors: [alpha]\n  source: test\n",
        encoding="utf-8",
    )
    atlas = load_atlas(root)
    assert atlas.problems == []
    assert corridors_of(atlas, "Trains ran on the Alpha Line.") == {0: {"alpha"}}
    assert [m.target for m in make_linker(atlas).mentions("Ayvil")] == ["aville"]
    assert links(atlas, "the Alpha Line")[0]["alpha"] == "spelling: Alpha Line"


def test_spellings_file_problems_are_reported_one_per_line(world, tmp_path):
    root = world.write(tmp_path / "d")
    (root / "spellings.yaml").write_text(
        "- spelling: Ayvil\n  nodes: [aville, nowhere]\n  source: test\n"
        "- spelling: AYVIL\n  nodes: [btown]\n  source: test\n"
        "- spelling: Btown\n  nodes: [btown]\n  source: test\n"
        "- spelling: Zed\n  corridors: [alpha]\n  colour: red\n"
        "- spelling: Nothing\n  source: test\n"
        "- just a string\n",
        encoding="utf-8",
    )
    atlas = load_atlas(root)
    lines = [str(p).replace(str(root / "spellings.yaml"), "spellings.yaml") for p in atlas.problems]
    assert lines[:3] == [
        "spellings.yaml: line 1, spelling 0 ('Ayvil'): unknown node 'nowhere'",
        "spellings.yaml: line 4, spelling 1 ('AYVIL'): the same words as line 1, spelling 0 ('Ayvil') (case, "
        "hyphens and punctuation are ignored); put all its targets in one entry",
        "spellings.yaml: line 7, spelling 2 ('Btown'): 'Btown' is already a name or alias of node 'btown'",
    ]
    rest = "\n".join(lines[3:])
    assert "spelling 3" in rest and "colour" in rest and "source" in rest  # unknown key, missing source
    assert "spelling 4" in rest and "names nothing" in rest
    assert "spelling 5" in rest
    assert all(line.count(": ") >= 2 for line in lines)  # file: where: what
    assert atlas.spellings == []  # a bad entry is skipped whole; the rest of the atlas loads
    assert atlas.corridors and atlas.articles


def test_spellings_file_that_is_not_a_list_or_not_yaml(world, tmp_path):
    root = world.write(tmp_path / "d")
    (root / "spellings.yaml").write_text("spelling: [unclosed\n", encoding="utf-8")
    assert [p.file for p in load_atlas(root).problems] == [str(root / "spellings.yaml")]
    (root / "spellings.yaml").write_text("spelling: x\n", encoding="utf-8")
    assert [str(p).split(": ", 1)[1] for p in load_atlas(root).problems] == [
        "file: must be a list of spellings, not dict"
    ]


def test_the_reader_says_why_a_corridor_chip_was_linked_escaped(real_atlas):
    from corridors.text.reader import paragraph_html

    text = "Freight uses the KTI. Officials said <b>the route</b> would grow."
    article = Article("t", "t", (text,))
    excerpts, mentions = automatic_excerpts(real_atlas, article, make_linker(real_atlas))
    html = paragraph_html(real_atlas, {}, text, 0, mentions, excerpts)
    assert (
        'title="Show on the map: Kazakhstan–Turkmenistan–Iran railway (linked: inferred: &#x27;the route&#x27; '
        'after KTI)"'
    ) in html  # under "Also about", after the paragraph
    assert "<b>" not in html


def test_a_dateline_split_off_as_a_sentence_takes_the_paragraphs_mode(real_atlas):
    text = "ETREK (Turkmenistan), December 3. The three countries opened a railway to the Gulf."
    assert links(real_atlas, text) == {0: {"kti": "place and mode: ETREK, rail"}}
    assert links(real_atlas, "Talks were held in Kabul. The railway would help.") == {}  # not a dateline


def test_two_places_take_the_paragraphs_mode_when_their_sentence_names_none(real_atlas):
    text = "The Uzbek railway project costs $5 billion. It extends from Termez to Mazar-e-Sharif and Kabul."
    assert links(real_atlas, text)[0] == {"pakafuz": "two places: Termez, Mazar-e-Sharif, Kabul"}
