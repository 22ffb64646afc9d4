"""Reading the Rust sources the deployment must agree with.

Small, deliberate parsers (no Rust toolchain needed): comments and `#[cfg(test)]` items are
removed first, string literals are kept intact, braces and parentheses are matched while skipping
string literals. Each function raises `SourceError` with a clear message when the source no longer
has the shape it expects, so a refactor of the Rust code fails the tests loudly instead of making
them pass vacuously.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


class SourceError(AssertionError):
    """The Rust source does not have the shape this parser understands."""


# --------------------------------------------------------------------------------------------
# Lexical helpers
# --------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r'(?P<raw>r(?P<hashes>#*)"(?:.|\n)*?"(?P=hashes))'
    r'|(?P<str>b?"(?:\\.|[^"\\])*")'
    r"|(?P<char>b?'(?:\\.|[^'\\\n])')"
    r"|(?P<line>//[^\n]*)"
    r"|(?P<block>/\*(?:.|\n)*?\*/)",
    re.S,
)


def strip_comments(text: str) -> str:
    """Removes // and /* */ comments (doc comments too), keeping string and char literals."""

    def keep(m: re.Match[str]) -> str:
        if m.group("line") is not None or m.group("block") is not None:
            return re.sub(r"[^\n]", " ", m.group(0))
        return m.group(0)

    return _TOKEN.sub(keep, text)


def _skip_literal(text: str, i: int) -> int:
    """If a string/char literal starts at i, the index after it; else i."""
    m = _TOKEN.match(text, i)
    if m and (m.group("raw") or m.group("str") or m.group("char")):
        return m.end()
    return i


def matching(text: str, open_index: int) -> int:
    """Index of the bracket closing the one at open_index ('(', '[' or '{'), skipping literals."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    opener = text[open_index]
    closer = pairs[opener]
    depth = 0
    i = open_index
    while i < len(text):
        j = _skip_literal(text, i)
        if j != i:
            i = j
            continue
        c = text[i]
        if c == opener:
            depth += 1
        elif c == closer:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise SourceError(f"unbalanced {opener!r} at offset {open_index}")


def strip_test_items(text: str) -> str:
    """Removes items behind #[cfg(test)] (test modules, test-only functions)."""
    out = text
    while True:
        m = re.search(r"#\[cfg\(test\)\]", out)
        if not m:
            return out
        brace = out.find("{", m.end())
        semi = out.find(";", m.end())
        if semi != -1 and (brace == -1 or semi < brace):
            end = semi  # e.g. `#[cfg(test)] mod tests;` or a use declaration
        else:
            end = matching(out, brace)
        out = out[: m.start()] + out[end + 1 :]


def rel(p: Path) -> str:
    try:
        return str(p.relative_to(REPO))
    except ValueError:
        return str(p)


def clean(text: str) -> str:
    return strip_test_items(strip_comments(text))


def string_literals(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r'"((?:\\.|[^"\\])*)"', text)]


@dataclass
class RustFn:
    name: str
    signature: str
    body: str
    start: int = 0  # offset of the body in the text


def functions(text: str) -> list[RustFn]:
    """Every `fn name(...) ... { body }` in (cleaned) text, nested ones included."""
    fns = []
    for m in re.finditer(r"\bfn\s+([A-Za-z_]\w*)\s*(?:<[^{;]*?>)?\s*\(", text):
        paren = text.index("(", m.end() - 1)
        close = matching(text, paren)
        # The body's brace: the first `{` or `;` outside the return type's brackets.
        i, depth, brace = close + 1, 0, -1
        while i < len(text):
            c = text[i]
            if c in "([":
                depth += 1
            elif c in ")]":
                depth -= 1
            elif depth == 0 and c in "{;":
                brace = i if c == "{" else -1
                break
            i += 1
        if brace == -1:
            continue  # a trait method declaration without a body
        end = matching(text, brace)
        fns.append(RustFn(m.group(1), text[m.start() : brace], text[brace + 1 : end], brace + 1))
    return fns


def find_fn(text: str, name: str) -> RustFn:
    found = [f for f in functions(text) if f.name == name]
    if not found:
        raise SourceError(f"fn {name} not found")
    return found[0]


def consts(text: str) -> dict[str, list[str]]:
    """`const NAME: T = expr;` -> the string literals of expr."""
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"\bconst\s+([A-Z][A-Z0-9_]*)\s*:\s*(?:\[[^\]]*\]|[^=;\[])*=\s*", text):
        end = m.end()
        depth = 0
        i = end
        while i < len(text):
            j = _skip_literal(text, i)
            if j != i:
                i = j
                continue
            c = text[i]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            elif c == ";" and depth == 0:
                break
            i += 1
        out[m.group(1)] = string_literals(text[end:i])
    return out


# --------------------------------------------------------------------------------------------
# Crates
# --------------------------------------------------------------------------------------------


@dataclass
class Crate:
    name: str
    dir: Path
    manifest: dict
    bins: dict[str, Path] = field(default_factory=dict)

    def sources(self, include_bins: bool) -> list[Path]:
        """The crate's runtime sources: src/**.rs without src/bin/** (unless include_bins)."""
        files = []
        for p in sorted((self.dir / "src").rglob("*.rs")):
            rel = p.relative_to(self.dir / "src")
            if not include_bins and (rel.parts[0] == "bin" or rel.name == "main.rs"):
                continue
            if include_bins and rel.parts[0] == "bin":
                continue
            files.append(p)
        return files


def workspace(repo: Path = REPO) -> dict[str, Crate]:
    root = tomllib.loads((repo / "Cargo.toml").read_text())
    crates = {}
    for member in root["workspace"]["members"]:
        d = repo / member
        if not (d / "Cargo.toml").exists():
            continue
        manifest = tomllib.loads((d / "Cargo.toml").read_text())
        name = manifest["package"]["name"]
        bins = {}
        for b in manifest.get("bin", []):
            bins[b["name"]] = d / b.get("path", f"src/bin/{b['name']}.rs")
        if not bins and (d / "src/main.rs").exists():
            bins[name] = d / "src/main.rs"
        crates[name] = Crate(name, d, manifest, bins)
    return crates


def path_dependencies(crate: Crate, crates: dict[str, Crate], repo: Path = REPO) -> list[Crate]:
    """The workspace crates crate depends on at run time ([dependencies], transitively)."""
    root = tomllib.loads((repo / "Cargo.toml").read_text())
    ws_deps = root.get("workspace", {}).get("dependencies", {})
    seen: dict[str, Crate] = {}
    todo = [crate]
    while todo:
        c = todo.pop()
        for dep_name, spec in c.manifest.get("dependencies", {}).items():
            if isinstance(spec, dict) and spec.get("workspace"):
                spec = ws_deps.get(dep_name, {})
            if isinstance(spec, dict) and "path" in spec:
                name = spec.get("package", dep_name)
                if name in crates and name not in seen:
                    seen[name] = crates[name]
                    todo.append(crates[name])
    return list(seen.values())


def crate_of_binary(binary: str, crates: dict[str, Crate]) -> Crate:
    for c in crates.values():
        if binary in c.bins:
            return c
    raise SourceError(f"no workspace crate has a binary named {binary!r}")


# --------------------------------------------------------------------------------------------
# Environment variables
# --------------------------------------------------------------------------------------------

ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass
class EnvReads:
    names: set[str]
    where: dict[str, list[str]]
    unresolved: list[str]


def env_reads(files: list[Path]) -> EnvReads:
    """Environment variables read by these files.

    Counted: `env::var(X)` / `env::var_os(X)` / `.var(X)` / `var(X)` calls whose argument is a
    literal or a constant (also `CONST[i]`, `path::CONST`), every `const *_ENV` / `*_ENVS`
    declaration (constants that name variables), and tracing-subscriber's
    `EnvFilter::(try_)from_default_env` (RUST_LOG). An upper-case argument that resolves to no
    constant is reported in `unresolved`.
    """
    texts = {p: clean(p.read_text()) for p in files}
    all_consts: dict[str, list[str]] = {}
    for t in texts.values():
        all_consts.update(consts(t))
    names: set[str] = set()
    where: dict[str, list[str]] = {}
    unresolved: list[str] = []

    def add(name: str, p: Path) -> None:
        names.add(name)
        where.setdefault(name, []).append(rel(p))

    for p, t in texts.items():
        for const, lits in consts(t).items():
            if const.endswith("_ENV") or const.endswith("_ENVS"):
                for lit in lits:
                    if ENV_NAME.match(lit):
                        add(lit, p)
        # Same-file wrappers that forward an argument to env::var: `let set = |name| env::var(name)..`
        # or `fn get(name: &str) -> .. { std::env::var(name).ok() }`.
        readers = {"var", "var_os"}
        for w in re.finditer(r"let\s+(\w+)\s*=\s*(?:move\s*)?\|[^|]*\|[^;]*?env::var(?:_os)?\s*\(\s*\w+\s*\)", t):
            readers.add(w.group(1))
        for f in functions(t):
            if re.search(r"env::var(?:_os)?\s*\(\s*[a-z_]\w*\s*\)", f.body):
                readers.add(f.name)
        for m in re.finditer(r"\b(?:" + "|".join(sorted(readers)) + r")\s*\(", t):
            open_i = t.index("(", m.start())
            arg = t[open_i + 1 : matching(t, open_i)].strip().lstrip("&").strip()
            lit = re.fullmatch(r'"([^"]*)"', arg)
            if lit:
                if ENV_NAME.match(lit.group(1)):
                    add(lit.group(1), p)
                continue
            ident = re.fullmatch(r"(?:[A-Za-z_]\w*::)*([A-Za-z_]\w*)(?:\[(\d+)\])?", arg)
            if not ident:
                continue
            const = ident.group(1)
            if const in all_consts:
                lits = all_consts[const]
                if ident.group(2) is not None:
                    lits = [lits[int(ident.group(2))]]
                for v in lits:
                    if ENV_NAME.match(v):
                        add(v, p)
            elif const[0].isupper():
                unresolved.append(f"{rel(p)}: var({arg})")
        if re.search(r"\b(?:try_)?from_default_env\s*\(", t):
            add("RUST_LOG", p)
    return EnvReads(names, where, unresolved)


# --------------------------------------------------------------------------------------------
# Router
# --------------------------------------------------------------------------------------------

HTTP_METHODS = ("get", "post", "put", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: str
    variants: frozenset[str]  # router variants serving it; empty = every variant

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def router_routes(text: str, fn_name: str = "router") -> list[Route]:
    """The routes registered in `fn router` (axum): `.route(path, get(h).post(h2))`, grouped by
    the `if matches!(which, Routes::A | Routes::B) { ... }` blocks around them."""
    text = clean(text)
    body = find_fn(text, fn_name).body
    if re.search(r"\.(nest|merge|nest_service|route_service)\s*\(", body):
        raise SourceError("the router uses nest/merge/route_service: teach deploy/tests/rustsrc.py")
    blocks = []
    for m in re.finditer(r"if\s+matches!\s*\(\s*\w+\s*,([^)]*)\)\s*\{", body):
        variants = frozenset(re.findall(r"Routes::(\w+)", m.group(1)))
        end = matching(body, m.end() - 1)
        blocks.append((m.end(), end, variants))
    routes = []
    for m in re.finditer(r"\.route\s*\(", body):
        open_i = body.index("(", m.start())
        args = body[open_i + 1 : matching(body, open_i)]
        path_m = re.match(r'\s*"([^"]+)"\s*,', args)
        if not path_m:
            raise SourceError(f"route without a literal path: {args[:60]!r}")
        handlers = args[path_m.end() :]
        variants = frozenset()
        for start, end, vs in blocks:
            if start <= m.start() < end:
                variants = vs
        found = False
        # A handler is a name or a path (`crate::quotes::payoff`): its last segment names it.
        for hm in re.finditer(r"\b(" + "|".join(HTTP_METHODS) + r")\s*\(\s*([A-Za-z_][\w:]*)", handlers):
            handler = hm.group(2).rstrip(":").split("::")[-1]
            routes.append(Route(hm.group(1).upper(), path_m.group(1), handler, variants))
            found = True
        if not found:
            raise SourceError(f"no method handler found for route {path_m.group(1)}")
    return routes


def authenticated_handlers(text: str) -> dict[str, bool]:
    """Handler name -> whether it takes the authenticated user (an `AuthUser` argument)."""
    text = clean(text)
    return {f.name: "AuthUser" in f.signature for f in functions(text)}


def routes_variant_of_binary(main_rs: Path) -> set[str]:
    """The `Routes::X` variants a Lambda binary's main.rs serves (empty while it is a stub)."""
    return set(re.findall(r"\bRoutes::(\w+)", clean(main_rs.read_text())))


# --------------------------------------------------------------------------------------------
# SDK calls -> IAM actions
# --------------------------------------------------------------------------------------------

# aws-sdk-dynamodb fluent operation -> the IAM action authorising it.
DYNAMODB_OPERATIONS = {
    "get_item": "dynamodb:GetItem",
    "put_item": "dynamodb:PutItem",
    "update_item": "dynamodb:UpdateItem",
    "delete_item": "dynamodb:DeleteItem",
    "query": "dynamodb:Query",
    "scan": "dynamodb:Scan",
    "batch_get_item": "dynamodb:BatchGetItem",
    "batch_write_item": "dynamodb:BatchWriteItem",
    "describe_table": "dynamodb:DescribeTable",
    "create_table": "dynamodb:CreateTable",
    "delete_table": "dynamodb:DeleteTable",
    "update_table": "dynamodb:UpdateTable",
    "list_tables": "dynamodb:ListTables",
    "execute_statement": "dynamodb:PartiQLSelect",
    "transact_get_items": "dynamodb:GetItem",
    # transact_write_items has no IAM action of its own: see TRANSACT_ELEMENTS.
}
# TransactWriteItems is authorised element by element.
TRANSACT_ELEMENTS = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
}
SNS_OPERATIONS = {
    "publish": "sns:Publish",
    "publish_batch": "sns:Publish",
    "create_topic": "sns:CreateTopic",
    "subscribe": "sns:Subscribe",
    "get_topic_attributes": "sns:GetTopicAttributes",
    "list_topics": "sns:ListTopics",
}


@dataclass
class SdkCalls:
    actions: dict[str, set[str]]  # action -> functions calling it
    query_without_index: list[str]


def sdk_calls(files: list[Path], operations: dict[str, str], skip_fns: set[str]) -> SdkCalls:
    """IAM actions of the SDK operations called in these files, outside `skip_fns`.

    An operation call is `.op()` (the fluent builders take no argument); transaction elements
    are `Put::builder()` etc. in a file that calls `.transact_write_items()`.
    """
    actions: dict[str, set[str]] = {}
    query_without_index = []
    op_re = re.compile(r"\.\s*(" + "|".join(sorted(operations, key=len, reverse=True)) + r")\s*\(\s*\)")
    for p in files:
        text = clean(p.read_text())
        fns = functions(text)
        # Attribute each call to the innermost enclosing fn.
        spans = [(f.start, f.start + len(f.body), f.name) for f in fns]

        def owner(i: int) -> str:
            inner = [(e - s, n) for s, e, n in spans if s <= i < e]
            return min(inner)[1] if inner else "<module>"

        transacts = False
        for m in op_re.finditer(text):
            fn = owner(m.start())
            if fn in skip_fns:
                continue
            actions.setdefault(operations[m.group(1)], set()).add(fn)
            if m.group(1) == "query":
                chain = text[m.end() : text.find(".send()", m.end())]
                if ".index_name(" not in chain:
                    query_without_index.append(f"{rel(p)}:{fn}")
        if operations is DYNAMODB_OPERATIONS:
            for m in re.finditer(r"\.\s*transact_write_items\s*\(\s*\)", text):
                if owner(m.start()) not in skip_fns:
                    transacts = True
            if transacts:
                for m in re.finditer(r"\b(" + "|".join(TRANSACT_ELEMENTS) + r")::builder\s*\(", text):
                    fn = owner(m.start())
                    if fn not in skip_fns:
                        actions.setdefault(TRANSACT_ELEMENTS[m.group(1)], set()).add(fn)
    return SdkCalls(actions, query_without_index)
