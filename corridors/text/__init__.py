"""Text: articles, linking names to corridors, excerpts, the article reader and article intake."""
