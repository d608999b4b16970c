"""Geography: geodesic lengths, countries crossed, the corridor network and routes."""
