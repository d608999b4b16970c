"""Exports for presenters and readers: a PNG per briefing stop (matplotlib, offline) and one self-contained
HTML file (the atlas, or a briefing that plays with the arrow keys). Pure functions return bytes
(`png.png_bytes`, `htmlfile.briefing_html`, `htmlfile.atlas_html`); `write` puts them into files."""
