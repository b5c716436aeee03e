"""Workshop programs: the ready-made library, instructors' own programs, TOML, the editor."""

from .definition import (
    LIBRARY,
    PLAN_KEYS,
    Program,
    ProgramError,
    ProgramStep,
    export,
    from_data,
    library,
    load,
    parse,
    read_plan,
    to_data,
)

__all__ = [
    "LIBRARY",
    "PLAN_KEYS",
    "Program",
    "ProgramError",
    "ProgramStep",
    "export",
    "from_data",
    "library",
    "load",
    "parse",
    "read_plan",
    "to_data",
]
