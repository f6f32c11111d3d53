"""Loading and checking a question bank folder: `load_bank` and `check_bank`.

The folder layout and every key are described in docs/question-bank.md. Loading never stops at the
first mistake: each file is read, every problem is collected with its file:line:column, and only a
bank without problems is returned.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pia.engine.bank.assemble import BankFile, assemble
from pia.engine.bank.model import Bank, Location
from pia.engine.bank.problems import BankError, Code, Problem
from pia.engine.bank.yamlpos import YamlError, decode, parse_yaml, read_bytes

MAX_FILE_BYTES = 2 * 1024 * 1024  # far beyond any real bank file; refuses accidents and abuse
MAX_FILES = 1000
FOLDERS = ("sections", "rules", "profiles")
BANK_ENV = "PIA_BANK"


def resolve_bank_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The bank folder to use: `explicit`, else $PIA_BANK, else ./questions, else the repo's."""
    if explicit:
        return Path(explicit)
    if os.environ.get(BANK_ENV):
        return Path(os.environ[BANK_ENV])
    local = Path.cwd() / "questions"
    if local.is_dir():
        return local
    shipped = Path(__file__).resolve().parents[2] / "questions"
    return shipped if shipped.is_dir() else local


def load_bank(path: str | os.PathLike[str]) -> Bank:
    """The bank in folder `path`; raises BankError listing every problem when it does not check."""
    bank, problems = check_bank(path)
    if bank is None:
        raise BankError(problems)
    return bank


def check_bank(path: str | os.PathLike[str]) -> tuple[Bank | None, list[Problem]]:
    """(bank, []) when the bank checks, otherwise (None, every problem in file order)."""
    folder = Path(path)
    problems: list[Problem] = []
    files, digest = _read_files(folder, problems)
    if files is None:
        return None, problems
    order = {bank_file.name: index for index, bank_file in enumerate(files)}
    bank = assemble(files, digest, problems)
    problems.sort(
        key=lambda p: (order.get(p.location.file, len(order)), p.location.line, p.location.column)
    )
    if problems or bank is None:
        if not problems:  # pragma: no cover - assemble reports a problem whenever it gives up
            problems.append(Problem(Code.NO_BANK, Location("bank.yaml", 1, 1), "no bank"))
        return None, problems
    return bank, []


def _read_files(folder: Path, problems: list[Problem]) -> tuple[list[BankFile] | None, str]:
    """Every bank file parsed, in reading order, and the digest of their bytes."""
    if not (folder / "bank.yaml").is_file():
        where = Location(str(folder / "bank.yaml"), 1, 1)
        reason = "is not a folder" if not folder.is_dir() else "has no bank.yaml"
        problems.append(
            Problem(
                Code.NO_BANK,
                where,
                f"{folder} {reason}",
                "point at the folder holding bank.yaml (e.g. questions/)",
            )
        )
        return None, ""
    names = ["bank.yaml", "criteria.yaml"]
    if (folder / "computed.yaml").exists():
        names.append("computed.yaml")
    if (folder / "calibration.yaml").exists():
        names.append("calibration.yaml")
    for sub in FOLDERS:
        if (folder / sub).is_dir():
            names.extend(
                f"{sub}/{entry.name}"
                for entry in sorted((folder / sub).iterdir())
                if entry.name.endswith(".yaml") and not entry.name.startswith(".")
            )
    if len(names) > MAX_FILES:
        where = Location("bank.yaml", 1, 1)
        problems.append(
            Problem(Code.READ_ERROR, where, f"the bank has {len(names)} files; at most {MAX_FILES}")
        )
        return None, ""
    contents: dict[str, bytes] = {}
    files = []
    for name in names:
        path = folder / name
        if name == "criteria.yaml" and not path.exists():
            problems.append(
                Problem(Code.MISSING_FILE, Location(name, 1, 1), "the bank has no criteria.yaml")
            )
            continue
        try:
            data = read_bytes(path, name, MAX_FILE_BYTES)
            contents[name] = data
            files.append(BankFile(name, parse_yaml(decode(data, name), name), True))
        except YamlError as error:
            problems.append(error.problem)
            files.append(BankFile(name, None, False))
    digest = hashlib.sha256()
    for name in sorted(contents):
        digest.update(f"{name}\0{len(contents[name])}\0".encode())
        digest.update(contents[name])
    return files, digest.hexdigest()
