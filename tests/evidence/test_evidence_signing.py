"""Ed25519 signatures over the ledger head."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from txaudit.cli import app
from txaudit.errors import InputError
from txaudit.evidence import Store, init_store
from txaudit.evidence.signing import generate_key, sign_head

PKG = Path(__file__).parent / "fixtures" / "pkg" / "datapackage.json"


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private = tmp_path / "signing.pem"
    return private, generate_key(private)


def _sign(store: Store, private: Path, tmp_path: Path) -> Path:
    sig = tmp_path / "head.sig.json"
    sig.write_text(json.dumps(sign_head(store, private)))
    return sig


def test_a_signed_head_verifies_and_later_events_are_fine(fixture_store: Store,
                                                         keys: tuple[Path, Path],
                                                         tmp_path: Path) -> None:
    private, public = keys
    sig = _sign(fixture_store, private, tmp_path)
    report = fixture_store.verify(signature=sig, public_key=public)
    assert report.ok and report.signed
    fixture_store.add_source(b"added after signing", actor="ann")
    assert fixture_store.verify(signature=sig, public_key=public).ok


def test_a_rewritten_history_fails_the_signature(fixture_store: Store,
                                                 keys: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    private, public = keys
    sig = _sign(fixture_store, private, tmp_path)
    # The same content written again (other times): every hash verifies on its own, but
    # the history is not the one that was signed.
    rebuilt = init_store(tmp_path / "rebuilt.db", bundled=PKG)
    assert rebuilt.verify().ok
    problems = [str(p) for p in rebuilt.verify(signature=sig, public_key=public).problems]
    assert len(problems) == 1 and "signs a different history: event 2" in problems[0]


def test_another_key_does_not_match(fixture_store: Store, keys: tuple[Path, Path],
                                    tmp_path: Path) -> None:
    private, _ = keys
    sig = _sign(fixture_store, private, tmp_path)
    other = generate_key(tmp_path / "other.pem")
    problems = fixture_store.verify(signature=sig, public_key=other).problems
    assert [p.message for p in problems] == ["does not match the public key"]


def test_a_key_file_is_never_overwritten(keys: tuple[Path, Path]) -> None:
    with pytest.raises(InputError, match="refusing to overwrite"):
        generate_key(keys[0])


def test_cli_sign_and_verify(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "s.db")
    assert runner.invoke(app, ["init", db, "--no-bundled"]).exit_code == 0
    key = tmp_path / "k.pem"
    assert runner.invoke(app, ["keygen", str(key)]).exit_code == 0
    sig = tmp_path / "sig.json"
    result = runner.invoke(app, ["sign", "--key", str(key), "--out", str(sig), "--db", db])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["verify", "--db", db, "--public-key", f"{key}.pub",
                                 "--signature", str(sig)])
    assert result.exit_code == 0
    assert result.stdout.rstrip().endswith("; signature checked")
    other = tmp_path / "o.pem"
    runner.invoke(app, ["keygen", str(other)])
    result = runner.invoke(app, ["verify", "--db", db, "--public-key", f"{other}.pub",
                                 "--signature", str(sig)])
    assert result.exit_code == 2
    assert "FAIL signature sig.json: does not match the public key" in result.stderr
