"""Workshop programs: the ready-made library, instructors' own programs, TOML, the editor."""

from .definition import (
    LIBRARY,
    Program,
    ProgramError,
    ProgramStep,
    export,
    from_data,
    library,
    load,
    parse,
    to_data,
)

__all__ = [
    "LIBRARY",
    "Program",
    "ProgramError",
    "ProgramStep",
    "export",
    "from_data",
    "library",
    "load",
    "parse",
    "to_data",
]
