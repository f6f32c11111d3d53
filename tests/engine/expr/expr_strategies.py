"""Hypothesis strategies for expression sources and the envs they run against."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from pia.engine.bank.model import Location
from pia.engine.expr.compiler import ValueType

NAMES = ("n0", "n1", "n2", "n3")
TYPES = {name: ValueType("any", label=name) for name in NAMES}
HERE = Location("x.yaml", 1, 1)


class Hostile:
    """A value that raises from every operation an expression might apply to it."""

    def _refuse(self, *args: object) -> Any:
        raise RuntimeError("hostile value touched")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __hash__ = __len__ = __bool__ = __contains__ = __iter__ = __neg__ = __abs__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = __float__ = __index__ = _refuse


class Undecidable:
    """What Sly's comparisons return: an object that refuses to be true or false."""

    def __bool__(self) -> bool:
        raise RuntimeError("undecidable truth")


class Sly:
    """A value whose comparisons succeed but return something that raises when tested."""

    def _undecidable(self, *args: object) -> Any:
        return Undecidable()

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _undecidable

    def __hash__(self) -> int:
        return 1


class HostileList(list):
    def __len__(self) -> int:
        raise RuntimeError("hostile length")

    def __contains__(self, item: object) -> bool:
        raise RuntimeError("hostile contains")


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-2, 2),
    st.sampled_from([0.0, 1.0, -1.0]),
    st.integers(min_value=10**400, max_value=10**401),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.binary(max_size=3),
    st.sampled_from(["search", "live", "a", "", "2025-01-01"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=3), children, max_size=3),
        st.frozensets(st.integers(), max_size=3),
    ),
    max_leaves=8,
)
plain_envs = st.dictionaries(st.sampled_from(NAMES), values)


hostile_names = st.sets(st.sampled_from(NAMES), max_size=2)


def with_hostile(env: dict[str, Any], hostile: set[str], hostile_lists: set[str]) -> dict[str, Any]:
    """The env with some values replaced by hostile ones.

    Done in the test body, not in a strategy, because Hypothesis itself compares, hashes and
    prints the values it generates.
    """
    env = dict(env)
    for index, name in enumerate(sorted(hostile)):
        env[name] = Hostile() if index % 2 == 0 else Sly()
    for index, name in enumerate(sorted(hostile_lists)):
        # Alternately a list that refuses len/in, and a plain list holding a sly value.
        env[name] = HostileList([1, "live"]) if index % 2 == 0 else [Sly(), 1, "live"]
    return env


names = st.sampled_from(NAMES)
numbers = st.one_of(st.integers(-5, 10**20).map(str), st.sampled_from(["0", "0.5", "1e308", "-2"]))
texts = st.sampled_from(["'search'", "'live'", "'a'", "''", "'2025-01-01'"])
bools = st.sampled_from(["True", "False"])
literal_lists = st.lists(st.one_of(numbers, texts, bools), max_size=3).map(
    lambda xs: f"[{', '.join(xs)}]"
)


def typed_expressions() -> st.SearchStrategy[str]:
    """Expressions the checker accepts when every name is typed "any"."""

    def numeric(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from("+-*/"), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            inner.map(lambda x: f"-({x})"),
            inner.map(lambda x: f"abs({x})"),
            names.map(lambda x: f"len({x})"),
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: f"min({', '.join(xs)})"),
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: f"max({', '.join(xs)})"),
        )

    number = st.recursive(st.one_of(names, numbers), numeric, max_leaves=6)
    ordered = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])
    comparison = st.one_of(
        st.tuples(number, ordered, number).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(number, ordered, number, ordered, number).map(" ".join),
        st.tuples(names, st.sampled_from(["==", "!="]), st.one_of(texts, bools)).map(" ".join),
        st.tuples(texts, st.sampled_from(["==", "!=", "<"]), names).map(" ".join),
        st.tuples(names, st.sampled_from(["in", "not in"]), literal_lists).map(" ".join),
        st.tuples(st.one_of(texts, numbers, names), st.sampled_from(["in", "not in"]), names).map(
            " ".join
        ),
        names.map(lambda x: f"answered({x})"),
        names,
        st.sampled_from(["True", "False"]),
    )

    def logical(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.lists(inner, min_size=2, max_size=4).map(lambda xs: "(" + " and ".join(xs) + ")"),
            st.lists(inner, min_size=2, max_size=4).map(lambda xs: "(" + " or ".join(xs) + ")"),
            inner.map(lambda x: f"not ({x})"),
            st.lists(inner, min_size=1, max_size=3).map(
                lambda xs: f"(count({', '.join(xs)}) >= 1)"
            ),
        )

    return st.one_of(number, st.recursive(comparison, logical, max_leaves=8))


def untyped_expressions() -> st.SearchStrategy[str]:
    """Any whitelisted shape, with no regard for types."""
    leaf = st.one_of(names, numbers, texts, literal_lists, st.sampled_from(["True", "None"]))

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.sampled_from(
            ["+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "and", "or"]
        )
        several = st.sampled_from(["min", "max", "count"])
        return st.one_of(
            st.tuples(inner, binary, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(inner, binary, inner, binary, inner).map(lambda t: "(" + " ".join(t) + ")"),
            inner.map(lambda x: f"(not {x})"),
            inner.map(lambda x: f"(-{x})"),
            names.map(lambda x: f"answered({x})"),
            st.tuples(st.sampled_from(["len", "abs"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
            st.tuples(several, st.lists(inner, min_size=1, max_size=3)).map(
                lambda t: f"{t[0]}({', '.join(t[1])})"
            ),
        )

    return st.recursive(leaf, extend, max_leaves=10)
