"""Decoding the v1 avatar data URL and building its file entry."""

from __future__ import annotations

import pytest

from cherry_migrate.migrators.preferences.avatar import (
    AvatarImage,
    BadDataUrlError,
    avatar_file_entry_row,
    decode_image_data_url,
    is_data_url,
    write_avatar,
)


@pytest.mark.parametrize(
    ("url", "data", "ext"),
    [
        ("data:image/png;base64,iVBORw0KGgo=", b"\x89PNG\r\n\x1a\n", "png"),
        ("data:image/jpeg;base64,/9j/4A", b"\xff\xd8\xff\xe0", "jpg"),
        ("DATA:IMAGE/WEBP;BASE64,UklG RkY=", b"RIFFF", "webp"),
        ("data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E", b"<svg/>", "svg"),
        ("data:image/gif;name=a.gif;base64,R0lGODlh", b"GIF89a", "gif"),
    ],
)
def test_decode_image_data_urls(url, data, ext):
    assert decode_image_data_url(url) == (data, ext)


@pytest.mark.parametrize(
    "url",
    [
        "data:image/png;base64,",
        "data:;base64,iVBORw0KGgo=",
        "data:application/pdf;base64,JVBERi0=",
        "data:image/png;base64,*",
    ],
)
def test_unreadable_data_urls(url):
    with pytest.raises(BadDataUrlError):
        decode_image_data_url(url)


def test_is_data_url():
    assert is_data_url("data:image/png;base64,AAAA")
    assert is_data_url("Data:image/png,x")
    assert not is_data_url("😀")
    assert not is_data_url(None)


def test_write_avatar_and_row(tmp_path):
    image = AvatarImage("0b5e6f5e-1111-4222-8333-444455556666", b"img", "png")
    path = write_avatar(image, tmp_path / "staging")

    assert path == tmp_path / "staging" / "0b5e6f5e-1111-4222-8333-444455556666.png"
    assert path.read_bytes() == b"img"
    assert image.preference_value == "file:0b5e6f5e-1111-4222-8333-444455556666"
    assert avatar_file_entry_row(image, 7) == (
        image.file_id,
        "internal",
        "avatar",
        "png",
        3,
        None,
        None,
        "manual",
        7,
        7,
        None,
    )
