"""Photos: only images are kept, a huge one is stored smaller, the original's hash is kept."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from desktop.domain import attachments as A
from desktop.domain.errors import ValidationError


def _image(size: tuple[int, int], fmt: str = "JPEG", noise: bool = False) -> bytes:
    image = Image.effect_noise(size, 60).convert("RGB") if noise else Image.new("RGB", size, "teal")
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def test_a_normal_photo_is_kept_as_received(db):
    data = _image((800, 600))
    with db.transaction() as s:
        row = A.add_image(s, "finding", 1, "现场.jpg", data)
        assert row.sha256 == hashlib.sha256(data).hexdigest() and not row.downscaled
        assert row.mime == "image/jpeg" and row.stored_bytes == len(data)
        assert A.get_data(s, row.id) == data
        thumb = Image.open(io.BytesIO(A.get_data(s, row.id, thumbnail=True)))
        assert max(thumb.size) == A.THUMB_LONG_SIDE
        # The same photo twice on one record is kept once.
        assert A.add_image(s, "finding", 1, "again.jpg", data).id == row.id
        assert [r.id for r in A.list_for(s, "finding", 1)] == [row.id]
        assert A.count_for(s, "finding", [1, 2]) == {1: 1}


def test_a_huge_photo_is_downscaled_but_keeps_the_originals_hash(db):
    data = _image((5200, 3900))  # a 20-megapixel camera frame
    with db.transaction() as s:
        row = A.add_image(s, "finding", 7, "大图.png", data)
        stored = A.get_data(s, row.id)
        listed = A.list_for(s, "finding", 7)[0]
    assert row.downscaled and listed.downscaled
    assert row.sha256 == listed.sha256 == hashlib.sha256(data).hexdigest()
    assert row.mime == "image/jpeg" and len(stored) < len(data)
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and max(image.size) == A.STORE_LONG_SIDE
    assert image.size[0] / image.size[1] == pytest.approx(5200 / 3900, rel=0.01)


@pytest.mark.parametrize(("name", "data", "words"), [
    ("说明.txt", "这不是照片".encode(), "不是图片"),
    ("空.jpg", b"", "空文件"),
    ("坏.jpg", _image((40, 30))[:60], "不是图片"),
    ("文档.pdf", b"%PDF-1.7\n" + b"0" * 200, "不是图片"),
], ids=["text", "empty", "truncated", "pdf"])
def test_what_is_not_a_photo_is_refused(db, name, data, words):
    with pytest.raises(ValidationError) as err, db.transaction() as s:
        A.add_image(s, "finding", 1, name, data)
    assert name in err.value.fields["photo"] and words in err.value.fields["photo"]
    with db.session() as s:
        assert A.list_for(s, "finding", 1) == []


def test_too_many_pixels_or_bytes_are_refused(monkeypatch):
    monkeypatch.setattr(A, "MAX_PIXELS", 1000 * 1000)
    with pytest.raises(ValidationError, match="像素过多"):
        A.prepare_image("全景.jpg", _image((1200, 1000)))
    monkeypatch.setattr(A, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ValidationError, match="太大"):
        A.prepare_image("大.jpg", _image((300, 300), noise=True))
