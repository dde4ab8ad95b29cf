"""The printable document kinds, by the name the command line uses."""

DOCUMENT_KINDS: dict[str, str] = {
    "agreement": "门前三包责任书",
}
