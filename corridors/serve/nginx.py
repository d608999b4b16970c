"""nginx in front of the Streamlit processes: its configuration and the static files it serves.

Everything is written into a run folder (never /etc): `nginx.conf` from `nginx.conf.in`, `www/`
mirroring Streamlit's bundles, the map component's bundle and the app's `static/` (links to the
installed files, plus a `.gz` beside each text file, made once so nginx never compresses them again
per request), `logs/` and nginx's temporary folders.
"""

from __future__ import annotations

import gzip
import os
import pwd
import shutil
import subprocess
from importlib.util import find_spec
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf.in")
COOKIE = "corridors_backend"
COMPRESSIBLE = {".js", ".css", ".json", ".svg", ".html", ".txt", ".map", ".ttf"}
MIN_GZIP_BYTES = 1024
_TYPES = {
    "html": "text/html",
    "css": "text/css",
    "js": "application/javascript",
    "json": "application/json",
    "svg": "image/svg+xml",
    "png": "image/png",
    "gif": "image/gif",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "txt": "text/plain",
    "map": "application/json",
}
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return next((p for p in NGINX_CANDIDATES if os.access(p, os.X_OK)), None)


def static_sources(app_dir: Path) -> dict[str, Path]:
    """URL path prefix (under www/) -> folder it comes from."""
    st_static = Path(find_spec("streamlit").origin).parent / "static" / "static"  # found, not imported
    folium_static = Path(find_spec("streamlit_folium").origin).parent / "frontend" / "build" / "static"
    return {
        "static": st_static,
        "component/streamlit_folium.st_folium/static": folium_static,
        "app/static": app_dir / "static",
    }


def _mirror(source: Path, target: Path) -> int:
    """Link every file of `source` into `target` and gzip the text ones beside it; return files made."""
    made = 0
    for src in source.rglob("*"):
        if not src.is_file():
            continue
        dst = target / src.relative_to(source)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not dst.is_symlink() or os.readlink(dst) != str(src):
            if dst.exists() or dst.is_symlink():
                dst.unlink()
            dst.symlink_to(src)
            made += 1
        gz = dst.with_name(dst.name + ".gz")
        wanted = src.suffix in COMPRESSIBLE and src.stat().st_size >= MIN_GZIP_BYTES
        if wanted and (not gz.exists() or gz.stat().st_mtime < src.stat().st_mtime):
            tmp = gz.with_name(gz.name + ".tmp")
            tmp.write_bytes(gzip.compress(src.read_bytes(), compresslevel=9, mtime=0))
            tmp.replace(gz)
            made += 1
    return made


def build_www(run_dir: Path, app_dir: Path) -> Path:
    """The static mirror (kept between runs: only new or changed files are linked or compressed)."""
    www = run_dir / "www"
    for prefix, source in static_sources(app_dir).items():
        if source.is_dir():
            _mirror(source, www / prefix)
    return www


def _open_to_others(path: Path) -> bool:
    """Every folder above `path` can be entered, and `path` read, by any user (nginx's workers)."""
    return all(p.stat().st_mode & 0o001 for p in path.parents) and path.stat().st_mode & 0o005 == 0o005


def render_conf(*, listen: str, backends: list[int], run_dir: Path, www: Path, user: str | None) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in backends)
    mime = "/etc/nginx/mime.types"
    if not Path(mime).exists():  # an nginx built elsewhere: the types Streamlit's files need
        mime = str(run_dir / "mime.types")
        Path(mime).write_text("types {\n" + "".join(f"    {t} {e};\n" for e, t in _TYPES.items()) + "}\n")
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in {
        "USER": f"user {user};" if user else "",
        "WORKERS": str(len(backends)),
        "RUN": str(run_dir),
        "WWW": str(www),
        "LISTEN": listen,
        "COOKIE": COOKIE,
        "SERVERS": servers,
        "MIME_TYPES": mime,
    }.items():
        text = text.replace(f"@@{name}@@", value)
    if "@@" in text:
        raise ValueError(f"{TEMPLATE}: a placeholder was left unfilled")
    return text


def prepare(run_dir: Path, app_dir: Path, *, listen: str, backends: list[int]) -> Path:
    """Write the run folder for nginx; return the path of nginx.conf."""
    for sub in ("logs", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
        (run_dir / sub).mkdir(parents=True, exist_ok=True)
    www = build_www(run_dir, app_dir)
    user = None
    if os.geteuid() == 0 and not (
        _open_to_others(run_dir) and _open_to_others(www)
    ):  # e.g. a run folder under a private /tmp folder
        user = "root"
        print(f"[serve] {run_dir} is not readable by other users: nginx's workers run as root", flush=True)
    elif os.geteuid() == 0:  # nginx's workers should not run as root: they run as nobody
        user = "nobody nogroup"
        nobody = pwd.getpwnam("nobody")
        for sub in ("tmp", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
            os.chown(run_dir / sub, nobody.pw_uid, nobody.pw_gid)
    conf = run_dir / "nginx.conf"
    conf.write_text(
        render_conf(listen=listen, backends=backends, run_dir=run_dir, www=www, user=user), encoding="utf-8"
    )
    return conf


def command(binary: str, run_dir: Path, conf: Path) -> list[str]:
    return [binary, "-p", str(run_dir), "-e", str(run_dir / "logs" / "nginx-error.log"), "-c", str(conf)]


def check(binary: str, run_dir: Path, conf: Path) -> str | None:
    """nginx -t on the generated file: None when it is valid, else nginx's message."""
    done = subprocess.run([*command(binary, run_dir, conf), "-t", "-q"], capture_output=True, text=True, check=False)
    return None if done.returncode == 0 else (done.stderr or done.stdout).strip()
