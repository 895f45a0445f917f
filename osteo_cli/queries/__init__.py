"""Queries: pure functions from a KnowledgeBase (and what the user typed) to plain results.

One module per command where there is one (drugs, sequence, tscore, check, schedule, evidence,
faq, learn, search), plus names (resolving what people type) and relations (how entries relate).
They never print and never import Rich.
"""
