"""Rendering: the only package that imports Rich. Documents in, text out."""
