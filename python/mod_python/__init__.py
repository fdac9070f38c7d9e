"""mod_python, as served by modpy: the public API package.

Existing mod_python code imports ``mod_python.apache``, ``mod_python.util`` … from here
unchanged. ``mp_version`` says "3.5.0" so version checks written for mod_python 3.5 keep
passing; ``modpy_version`` names the server really running them.
"""

__all__ = ["apache", "cgihandler", "psp", "publisher", "util", "version"]


class _Version(str):
    """Upstream's ``mod_python.version`` is a module whose ``version`` attribute is the string;
    code reads it both as ``mod_python.version.version`` and as a plain string. This str
    answers both ways."""

    @property
    def version(self) -> str:
        return str(self)


version = _Version("3.5.0")
mp_version = str(version)
modpy_version = "0.1.0"
