"""Streamlit views: thin pages that read widgets, call the package and write results.

Domain code never imports Streamlit (nor streamlit-folium): only this subpackage does, with two named
exceptions outside it, corridors/bench.py (it times the app's rerun through AppTest) and, in
corridors/serve/, Streamlit's protobuf messages for the load test's client. tests/test_layers.py checks it,
with the order of the layers.
"""
