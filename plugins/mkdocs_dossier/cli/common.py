"""What every `dossier` command shares: exit codes and wording."""

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def plural(count: int, word: str) -> str:
    """`1 file`, `2 files`."""
    return f"{count} {word}{'' if count == 1 else 's'}"
