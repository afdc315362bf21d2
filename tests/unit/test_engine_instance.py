"""Engine instances: one live holder per slot, the same name again after the holder is gone."""

from __future__ import annotations

from pathlib import Path

from reams.engine import instance


def test_one_live_holder_per_slot_and_the_same_name_after_a_restart(tmp_path: Path) -> None:
    first = instance.acquire("local", store_key="sqlite:///a.db", directory=tmp_path)
    second = instance.acquire("local", store_key="sqlite:///a.db", directory=tmp_path)
    other_store = instance.acquire("local", store_key="sqlite:///b.db", directory=tmp_path)
    assert first.name and second.name and other_store.name
    assert first.name.endswith(".0") and second.name.endswith(".1")
    assert first.name.rsplit(".", 1)[0] == second.name.rsplit(".", 1)[0]
    assert other_store.name.rsplit(".", 1)[0] != first.name.rsplit(".", 1)[0]
    assert first.owner.startswith(f"{first.name}:") and first.owner != second.owner
    assert len(first.owner) <= 64  # items.lease_owner
    first.close()  # the process died: the kernel dropped its lock
    again = instance.acquire("local", store_key="sqlite:///a.db", directory=tmp_path)
    assert again.name == first.name and again.boot != first.boot
    for held in (second, other_store, again):
        held.close()


def test_no_lock_directory_means_no_instance(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    anonymous = instance.acquire("local", store_key="x", directory=blocker / "locks")
    assert anonymous.name is None and anonymous.owner.startswith("anon-")
