"""Photos and scans kept in the database: checked, downscaled when huge, hashed as received."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from db.models import Attachment

from . import audit
from .errors import NotFoundError, ValidationError

MAX_FILE_BYTES = 40 * 1024 * 1024  # a phone photo is 2–8 MB; beyond this it is not a photo
# More pixels than this would take hundreds of MB to decode on a clerk's PC.
MAX_PIXELS = 120_000_000
# Stored photos are cut down to this many pixels on the long side and to this size.
STORE_LONG_SIDE = 2560
STORE_MAX_BYTES = 3 * 1024 * 1024
THUMB_LONG_SIDE = 320
JPEG_QUALITY = 85
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "BMP": "image/bmp",
           "GIF": "image/gif", "TIFF": "image/tiff"}


@dataclass(frozen=True)
class PhotoInput:
    file_name: str
    data: bytes


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    owner_kind: str
    owner_id: int
    file_name: str
    mime: str
    sha256: str  # of the file as received, even when a smaller copy is stored
    stored_bytes: int
    downscaled: bool
    created_at: dt.datetime | None


@dataclass(frozen=True)
class PreparedImage:
    """An image checked and ready to store; made before anything is written."""

    file_name: str
    mime: str
    sha256: str
    data: bytes
    thumbnail: bytes
    downscaled: bool


def _refuse(file_name: str, why: str) -> ValidationError:
    return ValidationError({"photo": f"“{file_name}”{why}"})


def _jpeg(image: Image.Image, long_side: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    if copy.mode not in ("RGB", "L"):
        copy = copy.convert("RGB")
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def prepare_image(file_name: str, data: bytes) -> PreparedImage:
    """Check that data is a photo we can keep; downscale a huge one. Raises ValidationError."""
    file_name = (file_name or "").strip() or "照片"
    if not data:
        raise _refuse(file_name, "是空文件")
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(file_name, f"太大（{len(data) / 1048576:.0f} MB），照片不能超过"
                                 f"{MAX_FILE_BYTES // 1048576} MB")
    sha = hashlib.sha256(data).hexdigest()
    try:
        with warnings.catch_warnings():
            # Pillow only warns about decompression bombs below twice its limit.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise _refuse(file_name, "不是支持的图片格式（JPEG、PNG、WEBP、BMP、GIF、TIFF）")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _refuse(file_name, f"像素过多（{width}×{height}），请缩小后再上传")
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
            raise _refuse(file_name, "像素过多，请缩小后再上传") from exc
        raise _refuse(file_name, "不是图片文件，或图片已损坏，只能上传照片") from exc
    fmt = image.format or "JPEG"
    # Phones store the camera's orientation in EXIF; apply it before any copy loses the tag.
    upright = ImageOps.exif_transpose(image)
    huge = max(width, height) > STORE_LONG_SIDE or len(data) > STORE_MAX_BYTES
    if huge:
        stored, mime = _jpeg(upright, STORE_LONG_SIDE), "image/jpeg"
    else:
        stored, mime = data, FORMATS[fmt]
    return PreparedImage(file_name[:260], mime, sha, stored, _jpeg(upright, THUMB_LONG_SIDE), huge)


def _row(a: Attachment, stored_bytes: int, downscaled: bool) -> AttachmentRow:
    return AttachmentRow(a.id, a.owner_kind, a.owner_id, a.file_name, a.mime, a.sha256,
                         stored_bytes, downscaled, a.created_at)


def store(session: Session, owner_kind: str, owner_id: int, image: PreparedImage, *,
          user: str = "") -> AttachmentRow:
    """Keep a prepared image; the same photo added twice to one record is kept once."""
    same = session.scalars(select(Attachment).where(
        Attachment.owner_kind == owner_kind, Attachment.owner_id == owner_id,
        Attachment.sha256 == image.sha256)).first()
    if same is not None:
        return _row(same, len(same.data), image.downscaled)
    row = Attachment(owner_kind=owner_kind, owner_id=owner_id, file_name=image.file_name,
                     mime=image.mime, sha256=image.sha256, data=image.data,
                     thumbnail=image.thumbnail)
    session.add(row)
    session.flush()
    audit.record(session, user=user, action="attach", entity=owner_kind, entity_id=owner_id,
                 summary=f"添加照片：{image.file_name}",
                 after={"attachment_id": row.id, "sha256": image.sha256,
                        "downscaled": image.downscaled})
    return _row(row, len(image.data), image.downscaled)


def copy_all(session: Session, owner_kind: str, owner_id: int, to_kind: str, to_id: int, *,
             user: str = "") -> int:
    """Give one record's photos to another as well (a failed check's photos become the
    evidence of the finding it raises); returns how many."""
    rows = session.scalars(select(Attachment).where(
        Attachment.owner_kind == owner_kind, Attachment.owner_id == owner_id)
        .order_by(Attachment.id)).all()
    for a in rows:
        store(session, to_kind, to_id, PreparedImage(
            a.file_name, a.mime, a.sha256, a.data, a.thumbnail or b"", False), user=user)
    return len(rows)


def add_image(session: Session, owner_kind: str, owner_id: int, file_name: str, data: bytes, *,
              user: str = "") -> AttachmentRow:
    return store(session, owner_kind, owner_id, prepare_image(file_name, data), user=user)


def list_for(session: Session, owner_kind: str, owner_id: int) -> list[AttachmentRow]:
    """The attachments of one record (a handful of photos: hashing each one is cheap)."""
    rows = session.scalars(
        select(Attachment).options(defer(Attachment.thumbnail))
        .where(Attachment.owner_kind == owner_kind, Attachment.owner_id == owner_id)
        .order_by(Attachment.id))
    # A stored copy whose hash differs from the recorded one is the downscaled copy.
    return [_row(a, len(a.data), hashlib.sha256(a.data).hexdigest() != a.sha256) for a in rows]


def get_data(session: Session, attachment_id: int, *, thumbnail: bool = False) -> bytes:
    column = Attachment.thumbnail if thumbnail else Attachment.data
    data = session.scalar(select(column).where(Attachment.id == attachment_id))
    if data is None:
        raise NotFoundError("该照片不存在")
    return bytes(data)


def count_for(session: Session, owner_kind: str, owner_ids: list[int]) -> dict[int, int]:
    if not owner_ids:
        return {}
    rows = session.execute(
        select(Attachment.owner_id, func.count()).where(
            Attachment.owner_kind == owner_kind, Attachment.owner_id.in_(owner_ids))
        .group_by(Attachment.owner_id))
    return {owner: int(n) for owner, n in rows}
