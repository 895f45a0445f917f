"""Making untrusted text (knowledge-base data, argv) safe to show on a terminal."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (ESC and CSI among them), the
# bidirectional overrides that can reorder what a reader sees, and lone surrogates
# (from undecodable argv bytes), which cannot be written to a UTF-8 stream; and the
# invisible ones that hide or reorder text: zero-width spaces and joiners, the word joiner,
# the byte-order mark, and the left-to-right, right-to-left and Arabic letter marks.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff]"
)


def clean(text: str) -> str:
    """`text` with every control character replaced by U+FFFD and tabs by a space."""
    return _UNSAFE.sub("\ufffd", text.replace("\t", " "))
