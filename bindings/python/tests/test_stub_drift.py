"""Drift test of the type stubs: ``_native.pyi`` (parsed with ``ast``) against the built native
module (``inspect.signature`` from the functions' ``__text_signature__``), both ways.

Fails when the binding gains or loses a function, a class, a method, a property or an argument
(name, kind or default) that the stub does not say, or the stub declares one the module lacks;
and when a dict the binding returns gains or loses a key of its ``TypedDict``. Fix by editing
``python/loansyncro/_native.pyi`` to match ``src/*.rs``.
"""

from __future__ import annotations

import ast
import inspect
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Set, Tuple

import pytest

import loansyncro
from loansyncro import _native

STUB = Path(loansyncro.__file__).parent / "_native.pyi"
# Stub-only classes: types that describe values (dicts, protocols), not native classes.
TYPE_ONLY_BASES = {"TypedDict", "Protocol"}

Param = Tuple[str, str, bool]  # (name, kind, has a default)


def _stub() -> ast.Module:
    return ast.parse(STUB.read_text(encoding="utf-8"))


def _is_overload(f: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "overload" for d in f.decorator_list)


def _decorators(f: ast.FunctionDef) -> Set[str]:
    names = set()
    for d in f.decorator_list:
        if isinstance(d, ast.Name):
            names.add(d.id)
        elif isinstance(d, ast.Attribute):
            names.add(d.attr)  # `@today.setter` -> "setter"
    return names


def _stub_params(f: ast.FunctionDef, method: bool) -> List[Param]:
    a = f.args
    positional = a.posonlyargs + a.args
    defaults = [False] * (len(positional) - len(a.defaults)) + [True] * len(a.defaults)
    params: List[Param] = []
    for i, arg in enumerate(positional):
        kind = "POSITIONAL_ONLY" if i < len(a.posonlyargs) else "POSITIONAL_OR_KEYWORD"
        params.append((arg.arg, kind, defaults[i]))
    if a.vararg:
        params.append((a.vararg.arg, "VAR_POSITIONAL", False))
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        params.append((arg.arg, "KEYWORD_ONLY", default is not None))
    if a.kwarg:
        params.append((a.kwarg.arg, "VAR_KEYWORD", False))
    if method and params and params[0][0] in ("self", "cls"):
        params = params[1:]
    return params


def _runtime_params(obj: Any, method: bool) -> List[Param]:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError) as e:
        pytest.fail(f"{obj!r} has no text signature ({e}): cannot compare it with the stub")
    params = [(p.name, p.kind.name, p.default is not inspect.Parameter.empty) for p in sig.parameters.values()]
    if method and params and params[0][0] in ("self", "$self", "cls"):
        params = params[1:]
    return params


def _same_kind(stub: str, runtime: str) -> bool:
    # The stub may spell a positional-or-keyword argument positional-only (`/`) and vice versa.
    positional = {"POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD"}
    return stub == runtime or (stub in positional and runtime in positional)


def _compare(where: str, overloads: List[ast.FunctionDef], runtime: List[Param], method: bool) -> List[str]:
    """Problems between a runtime signature and the stub's definition(s) of it."""
    problems = []
    runtime_by_name = {name: (kind, default) for name, kind, default in runtime}
    if len(overloads) == 1 and not _is_overload(overloads[0]):
        stub = _stub_params(overloads[0], method)
        if [n for n, _, _ in stub] != [n for n, _, _ in runtime]:
            problems.append(f"{where}: stub arguments {[n for n, _, _ in stub]} != module {[n for n, _, _ in runtime]}")
            return problems
        for (name, kind, default), (_, rkind, rdefault) in zip(stub, runtime):
            if not _same_kind(kind, rkind):
                problems.append(f"{where}({name}): stub {kind}, module {rkind}")
            if default != rdefault:
                problems.append(f"{where}({name}): stub {'has' if default else 'has no'} default, module {'has' if rdefault else 'has no'}")
        return problems
    # Overloads: each one uses the module's arguments (in order, same kinds); together they
    # name every argument of the module.
    seen: Set[str] = set()
    order = [n for n, _, _ in runtime]
    for o in overloads:
        stub = _stub_params(o, method)
        names = [n for n, _, _ in stub]
        unknown = [n for n in names if n not in runtime_by_name]
        if unknown:
            problems.append(f"{where} (overload at line {o.lineno}): the module has no argument {unknown}")
            continue
        if names != sorted(names, key=order.index):
            problems.append(f"{where} (overload at line {o.lineno}): arguments out of order {names}")
        for name, kind, _ in stub:
            if not _same_kind(kind, runtime_by_name[name][0]):
                problems.append(f"{where}({name}) (overload at line {o.lineno}): stub {kind}, module {runtime_by_name[name][0]}")
        seen.update(names)
    missing = [n for n in order if n not in seen]
    if missing:
        problems.append(f"{where}: no overload declares the module's argument(s) {missing}")
    return problems


def _stub_module() -> Tuple[Dict[str, List[ast.FunctionDef]], Dict[str, ast.ClassDef], Set[str]]:
    functions: Dict[str, List[ast.FunctionDef]] = {}
    classes: Dict[str, ast.ClassDef] = {}
    names: Set[str] = set()
    for node in _stub().body:
        if isinstance(node, ast.FunctionDef):
            functions.setdefault(node.name, []).append(node)
        elif isinstance(node, ast.ClassDef):
            bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
            if not bases & TYPE_ONLY_BASES:
                classes[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return functions, classes, names


def _runtime_module() -> Tuple[Dict[str, Any], Dict[str, type], Set[str]]:
    functions, classes, values = {}, {}, set()
    for name in dir(_native):
        if name.startswith("_"):
            continue
        obj = getattr(_native, name)
        if inspect.isclass(obj):
            classes[name] = obj
        elif callable(obj):
            functions[name] = obj
        else:
            values.add(name)
    return functions, classes, values


def test_functions_and_classes_match_both_ways() -> None:
    stub_functions, stub_classes, stub_names = _stub_module()
    functions, classes, values = _runtime_module()
    assert sorted(set(functions) - set(stub_functions)) == [], "functions missing from _native.pyi"
    assert sorted(set(stub_functions) - set(functions)) == [], "_native.pyi declares functions the module lacks"
    assert sorted(set(classes) - set(stub_classes)) == [], "classes missing from _native.pyi"
    assert sorted(set(stub_classes) - set(classes)) == [], "_native.pyi declares classes the module lacks"
    assert sorted(values - stub_names) == [], "values missing from _native.pyi"


def test_function_arguments_match() -> None:
    stub_functions, _, _ = _stub_module()
    functions, _, _ = _runtime_module()
    problems: List[str] = []
    for name in sorted(set(functions) & set(stub_functions)):
        problems += _compare(name, stub_functions[name], _runtime_params(functions[name], False), False)
    assert problems == []


def _stub_members(cls: ast.ClassDef) -> Dict[str, List[ast.FunctionDef]]:
    members: Dict[str, List[ast.FunctionDef]] = {}
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and "setter" not in _decorators(node):
            members.setdefault(node.name, []).append(node)
    return members


def _runtime_members(cls: type) -> Dict[str, Any]:
    return {k: v for k, v in vars(cls).items() if not k.startswith("_")}


def _what(is_property: bool) -> str:
    return "a property" if is_property else "a method"


def test_class_members_and_their_arguments_match() -> None:
    _, stub_classes, _ = _stub_module()
    _, classes, _ = _runtime_module()
    problems: List[str] = []
    for cname in sorted(set(classes) & set(stub_classes)):
        cls, stub = classes[cname], _stub_members(stub_classes[cname])
        runtime = _runtime_members(cls)
        public_stub = {k for k in stub if not k.startswith("_")}
        for name in sorted(set(runtime) - public_stub):
            problems.append(f"{cname}.{name} is missing from _native.pyi")
        for name in sorted(public_stub - set(runtime)):
            problems.append(f"_native.pyi declares {cname}.{name}, the class lacks it")
        # Dunder methods the stub declares (protocols: __len__, __getitem__, ...) exist.
        for name in sorted(k for k in stub if k.startswith("__") and k != "__init__"):
            if not hasattr(cls, name):
                problems.append(f"_native.pyi declares {cname}.{name}, the class lacks it")
        for name in sorted(public_stub & set(runtime)):
            defs, obj = stub[name], runtime[name]
            is_property = "property" in _decorators(defs[0])
            runtime_property = inspect.isdatadescriptor(obj)
            if is_property != runtime_property:
                problems.append(f"{cname}.{name}: stub {_what(is_property)}, module {_what(runtime_property)}")
                continue
            if is_property:
                continue
            static = "staticmethod" in _decorators(defs[0])
            target = getattr(cls, name)
            problems += _compare(f"{cname}.{name}", defs, _runtime_params(target, not static), not static)
        # The constructor: the stub's __init__ against the class's signature.
        init = stub.get("__init__")
        try:
            inspect.signature(cls)
            constructible = True
        except (TypeError, ValueError):
            constructible = False
        if init and not constructible:
            problems.append(f"_native.pyi declares {cname}.__init__, the class has no constructor signature")
        elif constructible and not init:
            problems.append(f"{cname} has a constructor that _native.pyi does not declare")
        elif init:
            problems += _compare(f"{cname}()", init, _runtime_params(cls, False), True)
    assert problems == []


def _typed_dict_keys(name: str) -> Set[str]:
    for node in _stub().body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return {n.target.id for n in node.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    raise AssertionError(f"no TypedDict {name} in _native.pyi")


def test_returned_dicts_have_the_keys_of_their_typed_dicts() -> None:
    terms = _native.LoanTerms(principal=Decimal("1000"), start=date(2025, 1, 1), installments=12, annual_rate_percent=12)
    schedule = terms.schedule()
    assert set(schedule[0].to_dict()) == _typed_dict_keys("InstallmentDict")
    assert set(_native.payoff_quote(terms, [], date(2025, 3, 1))) == _typed_dict_keys("PayoffQuote")
    assert set(_native.payable(terms, [], date(2025, 3, 1), date(2025, 3, 1))) == _typed_dict_keys("Payable")
    debts = [{"id": "card", "balance": "1000", "minimum_payment": "50", "annual_rate_percent": "20"}]
    plan = _native.plan(debts, 100, start=date(2025, 1, 31))
    assert set(plan.debts[0]) == _typed_dict_keys("DebtOutcome")
    assert set(plan.months[0]) == _typed_dict_keys("MonthRow")
    portfolio = _native.Portfolio(today=date(2025, 1, 1))
    portfolio.add_loan("car", terms)
    counts = portfolio.summary()["USD"].counts
    assert set(counts) == _typed_dict_keys("StatusCounts")
    txn = _native.postings_records(terms, [(date(2025, 2, 1), Decimal("88.85"))])[1]
    assert set(txn) == _typed_dict_keys("TransactionDict")
    assert set(txn["postings"][0]) == _typed_dict_keys("PostingDict")
    corrected = _native.corrected_position(terms, [], [(date(2025, 2, 5), "990")], date(2025, 3, 1))
    assert set(corrected) == _typed_dict_keys("CorrectedPosition")
    assert set(corrected["adjustments"][0]) == _typed_dict_keys("CorrectionDict")
    booked = portfolio.book_correction(portfolio.loans()[0].id, date(2025, 1, 1), "1000", "statement")
    assert set(booked) == _typed_dict_keys("CorrectionOutcomeDict")
    assert set(booked["correction"]) == _typed_dict_keys("StoredCorrectionDict")
    assert set(portfolio.corrections(portfolio.loans()[0].id)) == _typed_dict_keys("CorrectedLedgerDict")
    compared = _native.compare_biweekly(terms)
    assert set(compared) == _typed_dict_keys("BiweeklyComparison")
    assert set(compared["monthly"]) == _typed_dict_keys("PlanSummaryDict")
    assert set(compared["biweekly"]) == _typed_dict_keys("BiweeklyOptionDict")


def test_the_drift_checks_catch_drift() -> None:
    """The comparison itself fails on a lost, gained or renamed argument."""
    f = ast.parse("def f(a, b=..., *, c=...) -> None: ...").body[0]
    assert isinstance(f, ast.FunctionDef)
    same: List[Param] = [("a", "POSITIONAL_OR_KEYWORD", False), ("b", "POSITIONAL_OR_KEYWORD", True), ("c", "KEYWORD_ONLY", True)]
    assert _compare("f", [f], same, False) == []
    assert _compare("f", [f], same[:2], False) != []  # the module lost c
    assert _compare("f", [f], same + [("d", "KEYWORD_ONLY", True)], False) != []  # gained d
    assert _compare("f", [f], [same[0], ("b", "POSITIONAL_OR_KEYWORD", False), same[2]], False) != []
    assert _compare("f", [f], [same[0], same[1], ("c", "POSITIONAL_OR_KEYWORD", True)], False) != []
