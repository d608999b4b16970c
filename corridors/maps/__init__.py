"""Maps: map data, the folium map, labels, view state (URL) and view fitting, static assets."""
