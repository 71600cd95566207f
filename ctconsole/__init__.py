"""ctconsole: a terminal console for the Coupontools REST API."""

import sys

__version__ = "0.1.0"


class _SkipHttpxCli:
    """Start-up (issue 7): `import httpx` also imports httpx's own command-line
    tool whenever click is installed (uvicorn, for `ctconsole sandbox`, brings
    it), and with it click, pygments and rich.progress: ~25 ms of every start,
    for a tool ctconsole never runs. This finder refuses that one module once,
    during httpx's own import, so httpx falls back to its stub `httpx.main`;
    the client API is untouched. It then removes itself, leaves nothing in
    `sys.modules`, and is only installed if httpx is not loaded yet."""

    @classmethod
    def find_spec(cls, name: str, path: object = None, target: object = None) -> None:
        if name == "httpx._main":
            if cls in sys.meta_path:
                sys.meta_path.remove(cls)
            raise ModuleNotFoundError("httpx's CLI is not needed by ctconsole", name=name)
        return None


if "httpx" not in sys.modules:
    sys.meta_path.insert(0, _SkipHttpxCli)  # type: ignore[arg-type]
