"""kepu-api: science popularisation work of a city association, as a REST API."""
