"""Query results -> what each command shows: a Document for people, a dict for JSON.

One module per command group, pure and Rich-free. The JSON shapes built here are
documented in the README and kept stable: fields are added, never renamed or removed.
"""
