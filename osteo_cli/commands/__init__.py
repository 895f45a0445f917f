"""One module per sub-app; each command only parses, calls a query and renders."""
