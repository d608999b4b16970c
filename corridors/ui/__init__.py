"""Streamlit views: thin pages that read widgets, call the package and write results.

Only this subpackage imports Streamlit; the domain modules of `corridors` never do.
"""
