"""The process's standard output, made to fail loudly and degrade gracefully.

- Every byte is written or the write is an error: a loop over `os.write`, so a short write
  (which CPython's unbuffered TextIOWrapper ignores) cannot drop output silently, and a
  non-blocking stdout that is full (EAGAIN) is waited on until the reader catches up.
- A failed write raises `OutputError` once (exit 1, one line); after that, writes are
  discarded, so Python's final flush cannot print "Exception ignored" as well.
- A closed stdout (`>&-`) is the same error, "stdout is closed".
- Characters the stream's encoding cannot carry become ASCII stand-ins ("█" -> "#",
  "…" -> "...") or "?", never a UnicodeEncodeError.

Installed only by the console entry point (`entry.run`): in-process tests keep their own
streams. Kept free of third-party imports: it runs before them.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import sys
import unicodedata

from osteo_cli.errors import ExitCode, OsteoError

ERRORS = "osteo-ascii"

# Stand-ins for the characters figures and notes use; anything else is decomposed
# (é -> e) or becomes "?".
ASCII = {
    "█": "#",
    "▓": "#",
    "▒": "=",
    "░": "-",
    "■": "|",
    "▲": "^",
    "…": "...",
    "−": "-",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "≥": ">=",
    "≤": "<=",
    "×": "x",
    "→": "->",
    "•": "*",
    "─": "-",
    "═": "=",
    "│": "|",
    "\ufffd": "?",
    **{ch: "#" for ch in "▏▎▍▌▋▊▉"},
}


class OutputError(OsteoError):
    """Standard output cannot be written in full (a full disk, a closed stream)."""

    exit_code = ExitCode.FAILURE


def _stand_in(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start : exc.end]:
        if ch in ASCII:
            out.append(ASCII[ch])
            continue
        plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        out.append(plain or "?")
    return "".join(out), exc.end


codecs.register_error(ERRORS, _stand_in)


class FdWriter(io.RawIOBase):
    """Writes every byte to a file descriptor, or raises OutputError (BrokenPipeError stays
    itself: a reader that went away is quiet, not an error)."""

    def __init__(self, fd: int | None) -> None:
        super().__init__()
        self._fd = fd
        self.failed = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        if self._fd is None:
            raise io.UnsupportedOperation("stdout is closed")
        return self._fd

    def isatty(self) -> bool:
        return self._fd is not None and os.isatty(self._fd)

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(data).cast("B")
        if self.failed:
            return len(view)
        if self._fd is None:
            self.failed = True
            raise OutputError("cannot write output: stdout is closed")
        done = 0
        while done < len(view):
            try:
                written = os.write(self._fd, view[done:])
            except BlockingIOError:  # a non-blocking stdout with a slow reader: wait, as a blocking one would
                self._wait_writable()
                continue
            except BrokenPipeError:
                self.failed = True
                raise
            except OSError as exc:
                self.failed = True
                raise OutputError(f"cannot write output: {exc.strerror or exc}") from None
            if written == 0:
                self.failed = True
                raise OutputError("cannot write output: nothing was written")
            done += written
        return done

    def _wait_writable(self) -> None:
        import select

        assert self._fd is not None
        select.select([], [self._fd], [])


def install() -> None:
    """Replace sys.stdout with a checked writer on the same descriptor and encoding."""
    old = sys.stdout
    fd: int | None = None
    encoding = "utf-8"
    line_buffering = False
    if old is not None:
        try:
            fd = old.fileno()
        except (OSError, ValueError, AttributeError):
            return  # not a real file: leave it alone
        encoding = old.encoding or "utf-8"
        line_buffering = bool(old.line_buffering)
        with contextlib.suppress(OSError):
            old.flush()
    raw = FdWriter(fd)
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=encoding,
        errors=ERRORS,
        line_buffering=line_buffering or raw.isatty(),
    )
    if sys.stderr is not None and getattr(sys.stderr, "errors", "") == "strict":
        with contextlib.suppress(AttributeError, ValueError):
            sys.stderr.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
