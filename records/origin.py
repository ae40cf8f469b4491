"""Which command made the changes no user made: `manage.py` names it, and every history row
written while it runs keeps the name in its `history_origin` (the changes feed shows it where
it would otherwise show no one). Plain module state, no Django imports: manage.py sets it
before Django starts, and a command's threads share it."""

COMMAND = ""


def set_command(argv: list[str]) -> None:
    global COMMAND
    COMMAND = argv[1] if len(argv) > 1 and not argv[1].startswith("-") else ""


def command() -> str:
    return COMMAND
