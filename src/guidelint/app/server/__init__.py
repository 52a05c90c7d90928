"""`guidelint server`, the language server; installed with the `server` extra
(`pip install 'guidelint[server]'`), which brings pygls and lsprotocol.

Nothing here is imported by the command line until the command is run: `guidelint` and
`guidelint --version` start as fast without the extra as with it.
"""

from __future__ import annotations

INSTALL_HINT = (
    "guidelint server needs the language server packages: pip install 'guidelint[server]'"
)


def missing_packages() -> str | None:
    """Why the server cannot start (its packages are not installed); None when it can."""
    try:
        import lsprotocol.types  # noqa: F401
        import pygls.lsp.server  # noqa: F401
    except ImportError:
        return INSTALL_HINT
    return None


def serve() -> None:
    """Speak LSP over standard input and output until the editor says exit."""
    from guidelint.app.server.protocol import main

    main()
