"""The Articles page: the list of articles, and one article with every linked mention highlighted.

URL: ?article=<id> opens an article; &excerpt=<paragraph>-<start>-<end> marks and scrolls to an excerpt
("read in context" from the map); &paragraph=<n> scrolls to a paragraph.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import streamlit as st

from corridors.errors import CorridorsError
from corridors.maps.viewstate import default_state, state_to_query
from corridors.safe import markdown_text, one_line, safe_url, short_repr, whole_number
from corridors.text.intake import MAX_ARTICLE_BYTES, link_for_reader, read_article
from corridors.text.linking import link_target, merge_excerpts
from corridors.text.reader import KEY_HTML, article_html, excerpt_anchor, summaries

from . import linknotes, links, resources

UPLOADS = "_uploaded_articles"

# A script-only component (no data goes into its code). A click on a corridor mention opens the map in
# this session (keeping uploads and the map's view): through the page's own link to that corridor (one
# history entry, so Back returns in one press), else by sending the corridor to Python. Before leaving,
# the address is replaced by one naming the paragraph, so Back lands where the reader was. A mention
# naming several corridors opens a small menu of them. The page scrolls to the excerpt or paragraph a
# link points at.
_READER_JS = """
export default function (component) {
  const { data, setTriggerValue } = component;
  window.__corridorTrigger = setTriggerValue;
  const closeMenus = (except) => document.querySelectorAll(".mention-menu").forEach((menu) => {
    if (menu === except) return;
    menu.hidden = true;
    const opener = menu.previousElementSibling;
    if (opener) opener.setAttribute("aria-expanded", "false");
  });
  const openMap = (link) => {
    const paragraph = link.closest("p[id^='para-']");
    if (paragraph) {  // Back comes here, to this paragraph
      const here = new URL(window.location.href);
      here.searchParams.delete("excerpt");
      here.searchParams.set("paragraph", paragraph.id.slice(5));
      window.history.replaceState(window.history.state, "", here.toString());
    }
    const cid = link.dataset.corridor;
    const pageLink = [...document.querySelectorAll('a[data-testid="stPageLink-NavLink"]')].find((a) => {
      const url = new URL(a.href, window.location.href);
      return url.searchParams.get("selected") === cid;
    });
    if (pageLink) pageLink.click(); else window.__corridorTrigger("corridor", cid);
  };
  if (!window.__corridorClicks) {
    window.__corridorClicks = true;
    document.addEventListener("click", (event) => {
      const target = event.target.closest ? event.target : null;
      if (!target) return;
      const several = target.closest("a[data-corridors]");
      const link = target.closest("a[data-corridor]");
      if (!several && !link) { closeMenus(null); return; }
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      if (several) {
        const menu = several.nextElementSibling;
        const open = menu.hidden;
        closeMenus(menu);
        menu.hidden = !open;
        several.setAttribute("aria-expanded", String(open));
        if (open) {  // keep it inside the window
          menu.style.left = "0px";
          const over = menu.getBoundingClientRect().right - (document.documentElement.clientWidth - 12);
          if (over > 0) menu.style.left = `-${Math.ceil(over)}px`;
          menu.querySelector("a").focus();
        }
        return;
      }
      closeMenus(null);
      openMap(link);
    }, true);
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      const menu = event.target.closest && event.target.closest(".mention-menu");
      closeMenus(null);
      if (menu && menu.previousElementSibling) menu.previousElementSibling.focus();
    });
  }
  if (data && data.scroll_to) {
    let tries = 0;
    const timer = setInterval(() => {
      const el = document.getElementById(data.scroll_to);
      if (el) { el.scrollIntoView({block: "center"}); clearInterval(timer); }
      if (++tries > 50) clearInterval(timer);
    }, 100);
  }
}
"""
_reader_links = st.components.v2.component("corridor_reader_links", js=_READER_JS)


def map_query(data, corridor_id: str | None) -> dict[str, str]:
    """The map's last view in this session, with `corridor_id` selected and shown, as URL parameters.

    When the session's switches or filters would hide that corridor, it is switched on, and filters
    that still hide it are reset.
    """
    atlas = data.atlas
    view = st.session_state.get("_view") or default_state(atlas.corridors)
    if corridor_id:
        view = view.with_(
            selected=corridor_id, corridors=tuple(c for c in atlas.corridors if c in view.corridors or c == corridor_id)
        )
        if corridor_id not in data.visible_segments(view):
            default = default_state(atlas.corridors)
            view = view.with_(statuses=default.statuses, modes=default.modes, countries=default.countries)
    return state_to_query(view, atlas.corridors)


def _focus_from_url() -> tuple[int, int, int] | None:
    raw = st.query_params.get("excerpt", "")
    parts = [whole_number(p) for p in raw.split("-", 3)]  # each bounded before it is converted
    return tuple(parts) if len(parts) == 3 and None not in parts else None


def _link_notes(article, excerpts) -> list[str]:
    """What in a followed link to an article names no excerpt or paragraph of it."""
    notes = []
    raw = st.query_params.get("excerpt")
    focus = _focus_from_url()
    if raw is not None and not any(
        e.article == article.id and (e.paragraph, e.start, e.end) == focus for e in excerpts
    ):
        notes.append(
            f"link parameter 'excerpt': {short_repr(raw)} is not an excerpt of this article (PARAGRAPH-START-END)"
        )
    raw = st.query_params.get("paragraph")
    if raw is not None and whole_number(raw, 0, len(article.paragraphs) - 1) is None:
        notes.append(
            f"link parameter 'paragraph': {short_repr(raw)} is not a paragraph of this article "
            f"(0 to {len(article.paragraphs) - 1})"
        )
    return notes


def _uploaded(atlas) -> dict:
    """Articles uploaded in this session: (article, excerpts, mentions) by id. Never written to disk."""
    store = st.session_state.setdefault(UPLOADS, {})
    with st.expander("Read your own article (this session only)"):
        st.caption(
            f"A .txt or .md file up to {MAX_ARTICLE_BYTES // 1_000_000} MB. It is linked and highlighted "
            "for this browser session only; nothing is saved. To add an article to the atlas, use "
            "`python -m corridors add-article FILE`."
        )
        upload = st.file_uploader(
            "Article file", type=["txt", "md"], max_upload_size=MAX_ARTICLE_BYTES // 1_000_000, key="article_upload"
        )
        if upload is not None:
            # Read and linked once per file: the uploader hands the same file to every rerun of the page.
            seen = st.session_state.get(_UPLOAD_SEEN)
            if seen is None or seen[0] != upload.file_id:
                st.session_state[_UPLOAD_SEEN] = (upload.file_id, _take_in(atlas, store, upload))
            for kind, text in st.session_state[_UPLOAD_SEEN][1]:
                if kind == "code":
                    st.code(text, language=None)
                else:
                    getattr(st, kind)(text)
    return store


_UPLOAD_SEEN = "_upload_seen"  # (file id, what the reader was told about it)


def _take_in(atlas, store: dict, upload) -> list[tuple[str, str]]:
    """Read and link an uploaded article within the reader's budget (intake.link_for_reader: a size and
    a CPU-time limit, so one paste cannot hold the server process every visitor shares); what to tell."""
    try:
        article = read_article(upload.getvalue(), upload.name)
    except CorridorsError as exc:
        return [("error", "This file cannot be read as an article:"), ("code", "\n".join(str(p) for p in exc.problems))]
    told = []
    if article.id in atlas.articles:
        told.append(("warning", "An article with this id is already in the atlas; yours is shown as 'upload-…'."))
        article = replace(article, id=f"upload-{article.id}")
    article, excerpts, mentions, note = link_for_reader(atlas, article)
    if article.id not in store:  # a new upload opens at once
        st.session_state.update(article_choice=article.id, _article_shown=st.query_params.get("article"))
    store[article.id] = (article, merge_excerpts(excerpts, []), mentions, note)
    told.append(
        ("success", f"Read “{markdown_text(article.title or upload.name)}”: {len(excerpts)} linked excerpt(s).")
    )
    if note:
        told.append(("info", markdown_text(note)))
    return told


def render() -> None:
    loaded = resources.current()
    atlas, data = loaded.atlas, loaded.data
    st.title("Articles", anchor=False)
    resources.show_problems(atlas.problems)
    uploads = _uploaded(atlas)
    articles = {**atlas.articles, **{k: v[0] for k, v in uploads.items()}}
    excerpts = atlas.excerpts + [e for v in uploads.values() for e in v[1]]
    rows = summaries(atlas, excerpts, articles)
    if not rows:
        st.info("No articles yet.")
        return
    st.dataframe(
        [
            {
                "title": r.title,
                "outlet": r.outlet,
                "date": r.date or "undated",
                "corridors linked": len(r.corridors),
                "session only": r.id in uploads,
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
    )
    ids = [r.id for r in rows]
    # The URL wins when it names another article than the one this page last showed (a followed link,
    # back/forward); otherwise the reader's choice stands.
    wanted = st.query_params.get("article")
    unknown = bool(wanted) and wanted not in ids and wanted != st.session_state.get("_article_shown")
    followed_link = wanted in ids and wanted != st.session_state.get("_article_shown")
    if unknown:  # say so, and show no other article in its place
        st.session_state.update(article_choice=None, _article_shown=wanted)
        shown = wanted if len(wanted) <= 80 else wanted[:79] + "…"
        st.warning(f"No article has the id “{markdown_text(one_line(shown))}”. Choose one from the list.")
    elif followed_link or st.session_state.get("article_choice") not in ids:
        st.session_state.article_choice = wanted if wanted in ids else ids[0]
    titles = {r.id: r.title or r.id for r in rows}
    chosen = st.selectbox("Article", ids, key="article_choice", format_func=titles.get, placeholder="Choose an article")
    if chosen is None:
        return
    if st.query_params.get("article") != chosen:
        st.query_params["article"] = chosen
        st.query_params.pop("excerpt", None)
        st.query_params.pop("paragraph", None)
    st.session_state["_article_shown"] = chosen
    article = articles[chosen]
    linknotes.show("articles", _link_notes(article, excerpts) if followed_link else [], chosen)
    mentions = uploads[chosen][2] if chosen in uploads else atlas.mentions.get(chosen, [])
    if chosen in uploads and uploads[chosen][3]:  # shown in part: said where the reader reads
        st.info(markdown_text(uploads[chosen][3]), icon=":material/content_cut:")
    _article(data, article, mentions, excerpts)


def _article(data, article, mentions, excerpts) -> None:
    atlas, colours = data.atlas, data.colours
    st.header(markdown_text(article.title or article.id), anchor=False)
    meta = [markdown_text(x) for x in (article.outlet, article.author, article.date_label) if x]
    url = safe_url(article.url)
    st.caption(
        " · ".join(meta)
        + (f" · [original]({url})" if url else "")
        + (" · " + markdown_text(", ".join(article.categories)) if article.categories else "")
    )
    if article.date_note:
        st.caption("About its date: " + markdown_text(article.date_note))
    # Every corridor the article links or highlights: its page links also carry the mentions' clicks.
    linked = list(
        dict.fromkeys(
            [c for e in excerpts if e.article == article.id for c in e.corridors]
            + [link_target(atlas, m.kind, m.target) for m in mentions if m.kind == "corridor"]
        )
    )
    linked = [c for c in linked if c in atlas.corridors]
    if linked:
        st.markdown("**Corridors in this article** (click one to see it on the map):")
        cols = st.columns(min(len(linked), 2))
        for i, cid in enumerate(linked):
            cols[i % len(cols)].page_link(
                links.link(links.MAP), label=markdown_text(atlas.corridors[cid].name), query_params=map_query(data, cid)
            )
    st.html(KEY_HTML)
    focus = _focus_from_url()
    body = article_html(
        atlas, colours, article, mentions, excerpts, focus, href=lambda cid: "/?" + urlencode(map_query(data, cid))
    )
    st.html(f'<div class="article-body" style="font-size:1.05rem;line-height:1.7">{body}</div>')
    paragraph = whole_number(st.query_params.get("paragraph", ""), 0, len(article.paragraphs) - 1)
    scroll_to = excerpt_anchor(*focus) if focus else f"para-{paragraph}" if paragraph is not None else None
    clicked = _reader_links(data={"scroll_to": scroll_to}, key="reader_links", on_corridor_change=lambda: None)
    if clicked.corridor in atlas.corridors:
        st.switch_page(links.link(links.MAP), query_params=map_query(data, clicked.corridor))
