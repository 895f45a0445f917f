"""The closed sets of words that the file and the command line share.

Apart from `models` so that building the command line (`--help`, completion) need not
import the records: Typer makes its choices from these when the commands are declared.
"""

from typing import Literal

Category = Literal["antiresorptive", "anabolic", "both"]
AdviceGroup = Literal["exercise", "nutrition", "habits"]
