"""loansyncro.Portfolio.open: a portfolio kept in a SQLite file. What is written is found again
after closing and reopening (in this process and in another one), exactly (Decimal amounts keep
their scale); a writer process killed mid-write leaves a consistent file; files that are not a
LoanSyncro portfolio raise StorageError."""

from __future__ import annotations

import gc
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

import loansyncro
from loansyncro import LoanTerms, Portfolio

START = date(2025, 1, 1)


def car_terms() -> LoanTerms:
    return LoanTerms(principal="1200.50", annual_rate_percent=12, installments=12, start=START, currency="EUR")


def snapshot(p: Portfolio) -> Tuple[List[Tuple[str, str, str, int, Decimal]], List[Tuple[str, str, Decimal, date, str]], Dict[str, Decimal]]:
    loans = [(l.id, l.title, str(l.status), l.version, l.total_repaid) for l in p.loans()]
    reps = [(r.id, r.loan_id, r.amount, r.date, r.notes) for r in p.repayments()]
    summary = {c: s.total_repaid for c, s in p.summary(as_of=date(2025, 3, 1)).items()}
    return loans, reps, summary


def test_write_close_reopen_finds_everything(tmp_path: Path) -> None:
    path = tmp_path / "loans.db"
    p = Portfolio.open(path, today=START, owner="ada")
    assert p.path == str(path) and p.owner == "ada"
    assert repr(p) == f"Portfolio(owner=\"ada\", today=2025-01-01, path=\"{path}\")"
    car = p.add_loan("Car", car_terms(), description="Blue hatchback")
    van = p.add_loan("Van é", car_terms())
    p.today = date(2025, 2, 1)
    first = p.record_repayment(car.id, "106.70", date(2025, 2, 1), notes="février", idempotency_key="feb")
    p.record_repayment(van.id, Decimal("50.00"), date(2025, 2, 1))
    p.set_defaulted(van.id)
    before = snapshot(p)
    del p
    gc.collect()

    again = Portfolio.open(str(path), today=date(2025, 2, 1), owner="ada")
    assert snapshot(again) == before
    loans, reps, summary = before
    assert loans == [
        (car.id, "Car", "active", 2, Decimal("106.70")),
        (van.id, "Van é", "defaulted", 3, Decimal("50.00")),
    ]
    assert [str(r[2]) for r in reps] == ["106.70", "50.00"], "Decimal scale survives the file"
    assert summary == {"EUR": Decimal("156.70")}
    assert again.loan(car.id).description == "Blue hatchback"
    assert str(again.loan(car.id).terms.principal) == "1200.50"
    # The idempotency key still answers with the first repayment.
    replay = again.record_repayment(car.id, "106.70", date(2025, 2, 1), idempotency_key="feb")
    assert replay.replayed and replay.repayment.id == first.repayment.id
    # New ids do not collide with the file's.
    bike = again.add_loan("Bike", car_terms())
    assert bike.id not in {car.id, van.id}
    assert [l.title for l in again.loans(search="VAN")] == ["Van é"]
    # Another owner in the same file sees nothing of ada's.
    assert Portfolio.open(path, owner="bob").loans() == []


def test_another_process_reads_what_this_one_wrote(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    p = Portfolio.open(path, today=START)
    loan = p.add_loan("Car", car_terms())
    p.record_repayment(loan.id, "100.10", START)
    script = textwrap.dedent(
        f"""
        from loansyncro import Portfolio
        p = Portfolio.open({str(path)!r})
        print(p.loan({loan.id!r}).title, [str(r.amount) for r in p.repayments()])
        """
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "Car ['100.10']"


def test_a_writer_killed_mid_write_leaves_a_consistent_file(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    loan_id = Portfolio.open(path, today=START).add_loan("Car", LoanTerms(principal=100000, annual_rate_percent=0, installments=12, start=START)).id
    writer = textwrap.dedent(
        f"""
        import sys
        from datetime import date
        from loansyncro import Portfolio
        p = Portfolio.open({str(path)!r}, today=date(2025, 1, 1))
        i = 0
        while True:
            i += 1
            p.record_repayment({loan_id!r}, "1.01", date(2025, 1, 1))
            print(i, flush=True)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    acknowledged = 0
    while acknowledged < 40:
        acknowledged = int(child.stdout.readline())
    child.send_signal(signal.SIGKILL)
    child.wait()
    p = Portfolio.open(path, today=START)
    loan = p.loan(loan_id)
    reps = p.repayments(loan_id)
    assert acknowledged <= len(reps) <= acknowledged + 1, "every acknowledged write, at most one more"
    assert loan.version == 1 + len(reps)
    assert loan.total_repaid == Decimal("1.01") * len(reps)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_memory_stays_the_default() -> None:
    p = Portfolio(today=START)
    assert p.path is None
    assert repr(p) == 'Portfolio(owner="me", today=2025-01-01)'


def test_unusable_files_raise_storage_error(tmp_path: Path) -> None:
    with pytest.raises(loansyncro.StorageError) as missing:
        Portfolio.open(tmp_path / "no" / "such" / "dir" / "loans.db")
    assert missing.value.code == "storage"
    foreign = tmp_path / "notes.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(loansyncro.StorageError, match="not a LoanSyncro file"):
        Portfolio.open(foreign)
    with sqlite3.connect(foreign) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("notes",)]
    with pytest.raises(loansyncro.ValidationError):
        Portfolio.open(tmp_path / "x.db", owner="")


def test_threads_and_two_handles_on_one_file_lose_no_write(tmp_path: Path) -> None:
    path = tmp_path / "threads.db"
    a = Portfolio.open(path, today=START)
    b = Portfolio.open(path, today=START)  # a second connection to the same file
    loan_id = a.add_loan("Car", LoanTerms(principal=100000, annual_rate_percent=0, installments=12, start=START)).id

    def pay(p: Portfolio, n: int) -> None:
        for _ in range(n):
            p.record_repayment(loan_id, "2.50", START)

    threads = [threading.Thread(target=pay, args=(p, 10)) for p in (a, b, a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    loan = Portfolio.open(path, today=START).loan(loan_id)
    assert (loan.version, loan.total_repaid) == (41, Decimal("100.00"))
