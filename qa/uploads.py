"""The chat page's shared state: the live index, its background rebuild, uploads and removals.

Every check that depends on what is already indexed (duplicate content, clashing JSONL ids)
and every write to the corpus happen under `State.lock`, together with the re-index, so two
uploads at the same moment cannot both pass the check and then overwrite each other.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .build import build_index, is_stale
from .embed import load_embedder
from .index import Index, load
from .ingest import JSONL_SUFFIXES, SUPPORTED_SUFFIXES, corpus_entries, read_file

log = logging.getLogger(__name__)

UPLOADS = "uploads"  # sub-folder of the corpus that uploads go to (and the only one removal touches)
DEFAULT_MAX_UPLOAD_MB = 5.0
BUSY_TEXT = "Đang lập chỉ mục, vui lòng thử lại sau ít phút."

# `qa.ingest.Skipped.code` -> what the user reads.
REASONS_VI = {
    "empty": "tệp rỗng",
    "binary": "tệp nhị phân, không phải văn bản",
    "encoding": "không phải văn bản mã UTF-8, hãy lưu lại tệp dưới dạng UTF-8",
    "bad_json": "dòng JSON không hợp lệ",
    "not_object": "dòng không phải đối tượng JSON",
    "missing_field": "thiếu trường bắt buộc `id` hoặc `text`",
    "bad_field": "một trường có kiểu dữ liệu không hợp lệ",
    "no_text": "không còn nội dung bài viết sau khi lọc phần thừa của trang",
    "duplicate_id": "trùng mã bài viết đã có",
    "bad_name": "tên tệp không hợp lệ",
    "link_outside": "liên kết trỏ ra ngoài thư mục kho bài viết",
    "link_broken": "liên kết hỏng hoặc vòng lặp",
    "too_large": "tệp quá lớn",
    "unsupported": "chỉ nhận tệp .txt, .md hoặc .jsonl",
    "hidden": "tệp ẩn (tên bắt đầu bằng dấu chấm)",
    "unreadable": "không đọc được tệp",
}


def reason_vi(skipped) -> str:
    """A skip reason in Vietnamese, from its code (`qa.ingest.SKIP_CODES`); the English reason otherwise."""
    return REASONS_VI.get(getattr(skipped, "code", None) or "", skipped.reason)


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def friendly_time(iso: str | None) -> str:
    """'2026-11-21T15:07:00+00:00' -> '22:07, 21/11/2026' in the server's time zone."""
    try:
        when = datetime.fromisoformat(str(iso)).astimezone()
    except ValueError:
        return str(iso or "")
    return when.strftime("%H:%M, %d/%m/%Y")


def safe_name(name: str) -> str | None:
    """The file name to store an upload under: no folders, no leading dot (the reader skips those)."""
    name = Path(name.replace("\\", "/")).name.strip().lstrip(".").strip()
    stem = Path(name).stem
    if not Path(name).suffix or not stem.strip("._- "):
        return None
    return name


@dataclass
class UploadReport:
    """What one upload did, file by file, as lines for the page, and whether the corpus changed."""

    lines: list[str] = field(default_factory=list)
    changed: bool = False

    def text(self) -> str:
        return "\n\n".join(self.lines)


def _list(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(f"«{i}»" for i in items[:limit])
    return shown + (f" và {len(items) - limit} mã khác" if len(items) > limit else "")


def _where(path: str, rel: str) -> str:
    """'uploads/x.jsonl:3' -> 'dòng 3'; the file itself -> 'tệp'."""
    return f"dòng {path[len(rel) + 1:]}" if path.startswith(rel + ":") else "tệp"


class State:
    """The process-wide index shared by every request.

    `index` is None until the first index is ready; `rebuilding` is True while a build runs in
    the background (the previous index, if any, keeps answering); `lock` guards the corpus
    folder and the index swap.
    """

    def __init__(self, index: Index | None, corpus: str | Path, index_dir: str | Path, *, model=None,
                 max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB):
        self.index: Index | None = index
        self.corpus = Path(corpus)
        self.index_dir = Path(index_dir)
        self.model = model
        self.max_upload_mb = float(max_upload_mb)
        self.rebuilding = False
        self.error: str | None = None  # the last background build failure, shown on the page
        self.lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ background build
    def start_rebuild(self) -> threading.Thread:
        """Load the model and bring the index up to date in a background thread; swap it in when done."""
        # With a previous index, "rebuilding" waits until the corpus is found to have changed:
        # a start-up that only loads the model should not say the index is being updated.
        self.rebuilding = self.index is None
        self._thread = threading.Thread(target=self._rebuild, name="qa-rebuild", daemon=True)
        self._thread.start()
        return self._thread

    def _rebuild(self) -> None:
        try:
            with self.lock:
                index = self.index
                embedder = load_embedder(self.model) if self.model is not None else (
                    index.embedder if index is not None else None)
                other_model = index is not None and embedder.model_id != index.model_id
                if self.corpus.is_dir() and (index is None or other_model or is_stale(self.corpus, self.index_dir)):
                    self.rebuilding = True
                    log.info("building the index of %s into %s", self.corpus, self.index_dir)
                    index = build_index(self.corpus, self.index_dir, model=embedder, progress=False)
                    log.info("index ready: %s", index.build_report.summary())
                elif other_model:
                    index = load(self.index_dir, model=embedder)  # raises ModelMismatchError, shown on the page
                elif index is not None and isinstance(self.model, (str, Path)):
                    index = load(self.index_dir, model=embedder)  # the model named on the command line
                if index is None:
                    raise FileNotFoundError(f"no index at {str(self.index_dir)!r} and no corpus folder "
                                            f"{str(self.corpus)!r} to build one from")
                index.warm_up()
                self.index = index
                self.error = None
        except Exception as exc:  # the page keeps serving the previous index and says what failed
            log.exception("background index build failed")
            self.error = str(exc)
        finally:
            self.rebuilding = False

    def wait(self, timeout: float | None = None) -> None:
        """Block until the background build (if any) is over (for tests and scripts)."""
        if self._thread is not None:
            self._thread.join(timeout)

    # ------------------------------------------------------------ what the page shows
    def status_markdown(self) -> str:
        ix = self.index
        lines = []
        if ix is None:
            lines.append("⏳ **Đang lập chỉ mục lần đầu…** Có thể hỏi sau ít phút."
                         if self.rebuilding else "⚠️ Chưa có chỉ mục.")
        else:
            lines.append(f"**{len(ix.articles)}** bài viết, **{len(ix)}** đoạn văn  \n"
                         f"Cập nhật lúc {friendly_time(ix.manifest.get('built_at'))}")
            if self.rebuilding:
                lines.append("⏳ **Đang cập nhật chỉ mục…** Trong lúc chờ, câu trả lời dùng chỉ mục trước.")
        if self.error:
            lines.append(f"⚠️ Lập chỉ mục thất bại: {self.error}")
        if ix is not None:
            lines.append(f"<details><summary>Chi tiết</summary>Mô hình: <code>{ix.model_id}</code></details>")
        return "\n\n".join(lines)

    def source_choices(self, only_uploads: bool = False) -> list[tuple[str, str]]:
        """(label, file) pairs for the file filter and the removal list: article titles, not file names."""
        if self.index is None:
            return []
        by_source: dict[str, list] = {}
        for article in self.index.articles.values():
            by_source.setdefault(article.source, []).append(article)
        out = []
        for source, articles in sorted(by_source.items()):
            if only_uploads and not source.startswith(UPLOADS + "/"):
                continue
            title = articles[0].title or source
            label = title if len(articles) == 1 else f"{title} (+{len(articles) - 1} bài, {source})"
            out.append((label, source))
        return sorted(out, key=lambda pair: pair[0].casefold())

    # ------------------------------------------------------------ uploads
    def _known_hashes(self) -> dict[str, str]:
        out = {}
        if self.corpus.is_dir():
            for path in corpus_entries(self.corpus)[0]:
                try:
                    out[file_hash(path.read_bytes())] = path.relative_to(self.corpus).as_posix()
                except OSError:
                    continue
        return out

    def add_files(self, paths: list[str | Path], progress=None) -> UploadReport:
        """Check, copy into `corpus/uploads/` and index; say exactly what was indexed and what was not."""
        report = UploadReport()
        limit = int(self.max_upload_mb * 1024 * 1024)
        candidates: list[tuple[Path, str]] = []
        for path in paths:
            src = Path(path)
            shown = src.name
            name = safe_name(src.name)
            if src.suffix.lower() not in SUPPORTED_SUFFIXES:
                report.lines.append(f"❌ **{shown}**: không thêm — chỉ nhận tệp .txt, .md hoặc .jsonl.")
            elif name is None:
                report.lines.append(f"❌ **{shown}**: không thêm — tên tệp không hợp lệ, hãy đổi tên rồi tải lại.")
            elif src.stat().st_size > limit:
                size = src.stat().st_size / 1024 / 1024
                report.lines.append(f"❌ **{shown}**: không thêm — tệp nặng {size:.1f} MB, vượt giới hạn "
                                    f"{self.max_upload_mb:g} MB mỗi tệp. Hãy chia nhỏ tệp rồi tải lại.")
            else:
                candidates.append((src, name))
        if not candidates:
            return report
        if self.index is None or self.rebuilding:
            report.lines.append(f"⏳ {BUSY_TEXT} Các tệp chưa được thêm.")
            return report
        with self.lock:
            self._add_locked(candidates, report, progress)
        return report

    def _add_locked(self, candidates: list[tuple[Path, str]], report: UploadReport, progress) -> None:
        target_dir = self.corpus / UPLOADS
        known_ids = set(self.index.articles)
        known_hashes = self._known_hashes()
        written: list[tuple[Path, str, list[str], list[str]]] = []  # target, shown name, ids, notes
        for src, name in candidates:
            data = src.read_bytes()
            digest = file_hash(data)
            if digest in known_hashes:
                report.lines.append(f"ℹ️ **{src.name}**: đã có trong kho (cùng nội dung với «{known_hashes[digest]}»); "
                                    "không thay đổi gì.")
                continue
            target = target_dir / name
            n = 1
            while target.exists() or any(t == target for t, *_ in written):
                target = target_dir / f"{Path(name).stem}-{n}{Path(name).suffix}"
                n += 1
            rel = target.relative_to(self.corpus).as_posix()
            articles, skipped = read_file(src, rel)
            notes = [f"{_where(s.path, rel)}: {reason_vi(s)}" for s in skipped]
            if not articles:
                # The whole file's own reason reads as the sentence's reason, its lines' reasons as a list.
                whole = [reason_vi(s) for s in skipped if _where(s.path, rel) == "tệp"]
                why = "; ".join(whole) if whole and len(skipped) == len(whole) else "; ".join(notes) or "không có bài viết"
                report.lines.append(f"❌ **{src.name}**: không thêm — {why}. Kho bài viết không thay đổi.")
                continue
            ids = [a.doc_id for a in articles]
            if src.suffix.lower() in JSONL_SUFFIXES:
                clashes = sorted({i for i in ids if i in known_ids})
                if clashes:
                    report.lines.append(f"❌ **{src.name}**: không thêm — mã bài viết đã có trong kho: {_list(clashes)}. "
                                        "Hãy đổi mã rồi tải lại. Kho bài viết không thay đổi.")
                    continue
                repeated = sorted({i for i in ids if ids.count(i) > 1})
                if repeated:
                    notes.append(f"mã {_list(repeated)} lặp lại trong tệp: chỉ bài đầu tiên được lập chỉ mục")
            if target.name != src.name:
                notes.append(f"lưu với tên «{target.name}»")
            target_dir.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            known_hashes[digest] = rel
            known_ids.update(ids)
            written.append((target, src.name, list(dict.fromkeys(ids)), notes))
        if not written:
            return
        if progress is not None:
            progress(0.3, desc="Đang lập chỉ mục các bài viết mới…")
        try:
            index = build_index(self.corpus, self.index_dir, model=self.index.embedder, progress=False)
        except Exception as exc:
            for target, *_ in written:
                target.unlink(missing_ok=True)
            log.exception("re-index after upload failed")
            report.lines.append(f"❌ Lập chỉ mục thất bại ({exc}); các tệp vừa tải đã được gỡ, kho không thay đổi.")
            return
        self.index = index
        report.changed = True
        for target, shown, ids, notes in written:
            rel = target.relative_to(self.corpus).as_posix()
            indexed = [i for i in ids if i in index.articles and index.articles[i].source == rel]
            missing = [i for i in ids if i not in indexed]
            line = f"✅ **{shown}**: đã lập chỉ mục {len(indexed)} bài viết" if indexed else \
                f"❌ **{shown}**: không có bài viết nào được lập chỉ mục"
            if missing:
                notes = [*notes, f"không lập chỉ mục: {_list(missing)}"]
            if notes:
                line += " — " + "; ".join(notes)
            report.lines.append(line + ".")
        report.lines.append("Có thể hỏi về các bài viết mới ngay bây giờ.")
        if progress is not None:
            progress(1.0, desc="Xong")

    # ------------------------------------------------------------ removal
    def remove_upload(self, source: str) -> UploadReport:
        """Delete an uploaded file from `corpus/uploads/` and from the index (other vectors are reused)."""
        report = UploadReport()
        if not source:
            report.lines.append("Chưa chọn bài viết nào để xóa.")
            return report
        if self.index is None or self.rebuilding:
            report.lines.append(f"⏳ {BUSY_TEXT}")
            return report
        with self.lock:
            uploads = (self.corpus / UPLOADS).resolve()
            path = (self.corpus / source).resolve()
            if path.parent != uploads or not path.is_file():
                report.lines.append(f"❌ «{source}» không phải tệp đã tải lên; chỉ xóa được bài trong {UPLOADS}/.")
                return report
            titles = [a.title or a.doc_id for a in self.index.articles.values() if a.source == source]
            backup = path.read_bytes()
            path.unlink()
            try:
                self.index = build_index(self.corpus, self.index_dir, model=self.index.embedder, progress=False)
            except Exception as exc:
                path.write_bytes(backup)
                log.exception("re-index after removal failed")
                report.lines.append(f"❌ Không xóa được ({exc}); kho không thay đổi.")
                return report
            report.changed = True
            shown = titles[0] if len(titles) == 1 else f"{len(titles)} bài viết"
            report.lines.append(f"🗑️ Đã xóa «{shown}» ({source}) khỏi kho và chỉ mục.")
        return report


def prepare(index_dir: str | Path = "index", corpus: str | Path = "corpus", model=None, *,
            max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB) -> State:
    """The state for the page, at once: the previous index if there is one; a background thread
    loads the model and rebuilds when the corpus changed (or no index exists yet)."""
    index = None
    try:  # a model name is loaded by the background thread (it takes seconds); an Embedder is ready
        index = load(index_dir, model=None if model is None or isinstance(model, (str, Path)) else model)
    except Exception as exc:  # missing or unreadable: the background build makes a new one
        log.warning("no usable index at %s (%s); building one in the background", index_dir, exc)
    state = State(index, corpus, index_dir, model=model, max_upload_mb=max_upload_mb)
    state.start_rebuild()
    return state
