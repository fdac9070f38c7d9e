"""mp_finfo: file information as apache.stat() and req.finfo expose it (spec §4.7).

Wire form: the 13-tuple of FINFO_* fields (mode, ino, dev, nlink, uid, gid, size, atime,
mtime, ctime, fname, name, filetype). A missing file is an unfilled finfo (filetype APR_NOFILE,
everything else None), as upstream's apr_stat wrapper returns.
"""

import os
import stat as _stat
from typing import Any

APR_NOFILE, APR_REG, APR_DIR, APR_CHR, APR_BLK, APR_PIPE, APR_LNK, APR_SOCK = range(8)
APR_UNKFILE = 127

APR_FINFO_LINK = 0x00000001
APR_FINFO_NORM = 0x0073B170

_FIELDS = ("protection", "inode", "device", "nlink", "user", "group", "size",
           "atime", "mtime", "ctime", "fname", "name", "filetype")


def _filetype(mode: int) -> int:
    if _stat.S_ISREG(mode):
        return APR_REG
    if _stat.S_ISDIR(mode):
        return APR_DIR
    if _stat.S_ISCHR(mode):
        return APR_CHR
    if _stat.S_ISBLK(mode):
        return APR_BLK
    if _stat.S_ISFIFO(mode):
        return APR_PIPE
    if _stat.S_ISLNK(mode):
        return APR_LNK
    if _stat.S_ISSOCK(mode):
        return APR_SOCK
    return APR_UNKFILE


def apr_protection(mode: int) -> int:
    """APR's protection layout: one hex nibble per rwx triplet (0644 → 0x644), plus the
    setuid/setgid/sticky flags; what upstream's finfo.protection shows."""
    prot = ((mode >> 6) & 7) << 8 | ((mode >> 3) & 7) << 4 | (mode & 7)
    if mode & _stat.S_ISUID:
        prot |= 0x8000
    if mode & _stat.S_ISGID:
        prot |= 0x4000
    if mode & _stat.S_ISVTX:
        prot |= 0x2000
    return prot


class finfo:  # noqa: N801 - upstream type name mp_finfo, created by apache.stat
    """Attributes fname, filetype, valid, protection, user, group, inode, device, nlink, size,
    atime, mtime, ctime, name; indexable with FINFO_*."""

    __slots__ = _FIELDS + ("valid",)

    def __init__(self) -> None:
        for f in _FIELDS:
            setattr(self, f, None)
        self.filetype = APR_NOFILE
        self.valid = None

    @classmethod
    def from_tuple(cls, t: Any) -> "finfo":
        fi = cls()
        if t:
            for f, v in zip(_FIELDS, t):
                setattr(fi, f, v)
            # A raw st_mode (file-type bits present) from the wire becomes APR's layout.
            if isinstance(fi.protection, int) and fi.protection & 0o170000:
                fi.protection = apr_protection(fi.protection)
            fi.valid = APR_FINFO_NORM if fi.filetype != APR_NOFILE else None
        return fi

    @classmethod
    def from_stat(cls, fname: str, st: os.stat_result, wanted: int) -> "finfo":
        fi = cls()
        fi.fname = fname
        fi.filetype = _filetype(st.st_mode)
        fi.protection = apr_protection(st.st_mode)
        fi.user, fi.group = st.st_uid, st.st_gid
        fi.inode, fi.device, fi.nlink = st.st_ino, st.st_dev, st.st_nlink
        fi.size = st.st_size
        fi.atime, fi.mtime, fi.ctime = int(st.st_atime), int(st.st_mtime), int(st.st_ctime)
        fi.valid = wanted | APR_FINFO_NORM
        return fi

    def as_tuple(self) -> tuple:
        return tuple(getattr(self, f) for f in _FIELDS)

    def __getitem__(self, index: int) -> Any:
        return self.as_tuple()[index]

    def __len__(self) -> int:
        return len(_FIELDS)

    def __repr__(self) -> str:
        names = ("fname", "filetype", "valid", "protection", "user", "group", "size",
                 "inode", "device", "nlink", "atime", "mtime", "ctime", "name")
        return "{" + ", ".join(f"{n!r}: {getattr(self, n)!r}" for n in names) + "}"


def stat(fname: Any, wanted: int) -> finfo:
    """apache.stat: a missing file gives an unfilled finfo; other failures raise OSError."""
    path = os.fsdecode(fname)
    try:
        st = os.lstat(path) if wanted & APR_FINFO_LINK else os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return finfo()
    return finfo.from_stat(path, st, wanted)
