import pytest

from .helpers import Workspace


@pytest.fixture
def ws(tmp_path, monkeypatch) -> Workspace:
    """A scratch policy folder that is the working directory (so display paths are `policies/...`)."""
    monkeypatch.chdir(tmp_path)
    return Workspace(tmp_path)
