"""SM3 (GB/T 32905-2016) against the standard's example vectors, both implementations."""

from __future__ import annotations

import hashlib
import os

import pytest

from jixiao.documents.digests import sha256_hex, sm3_hex, sm3_hex_pure

# GB/T 32905-2016 附录 A: example 1 ("abc", 24 bits) and example 2 ("abcd" × 16, 512 bits).
VECTORS = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]


@pytest.mark.parametrize(("message", "digest"), VECTORS)
@pytest.mark.parametrize("implementation", [sm3_hex, sm3_hex_pure])
def test_standard_vectors(implementation, message, digest) -> None:
    assert implementation(message) == digest


def test_pure_python_agrees_with_openssl_at_every_padding_boundary() -> None:
    if "sm3" not in hashlib.algorithms_available:
        pytest.skip("this OpenSSL has no SM3; the vectors above cover the pure implementation")
    for size in (0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000):
        data = os.urandom(size)
        assert sm3_hex_pure(data) == hashlib.new("sm3", data).hexdigest(), size


def test_without_openssl_sm3_the_pure_implementation_is_used(monkeypatch) -> None:
    def no_sm3(name: str, *args: object) -> object:
        raise ValueError(f"unsupported hash type {name}")

    monkeypatch.setattr(hashlib, "new", no_sm3)
    assert sm3_hex(b"abc") == VECTORS[0][1]


def test_sha256() -> None:
    assert sha256_hex(b"abc") == hashlib.sha256(b"abc").hexdigest()
