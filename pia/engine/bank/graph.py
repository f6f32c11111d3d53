"""Dependency order of show_if conditions and computed values, and the cycles that forbid one.

A question depends on the names in its show_if; a computed value on the names in its formula.
Evaluation decides each one after everything it depends on, so the bank must have no cycle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def dependency_order(
    nodes: Sequence[str], depends_on: Mapping[str, Sequence[str]]
) -> tuple[list[str], list[list[str]]]:
    """(order, cycles): every node after its dependencies, otherwise in the order given.

    `depends_on[node]` lists the nodes it reads (names that are not nodes are ignored). Each cycle
    is a path that starts and ends with the same node, e.g. ["a", "b", "a"]. Iterative, so a long
    chain of conditions cannot exhaust the stack.
    """
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []
    seen_cycles: set[frozenset[str]] = set()
    for root in nodes:
        if root in state:
            continue
        state[root] = 1
        path = [root]
        stack = [iter(depends_on.get(root, ()))]
        while stack:
            for dependency in stack[-1]:
                if dependency not in depends_on:
                    continue
                status = state.get(dependency)
                if status is None:
                    state[dependency] = 1
                    path.append(dependency)
                    stack.append(iter(depends_on[dependency]))
                    break
                if status == 1:
                    cycle = [*path[path.index(dependency) :], dependency]
                    key = frozenset(cycle)
                    if key not in seen_cycles:
                        seen_cycles.add(key)
                        cycles.append(cycle)
            else:
                stack.pop()
                done = path.pop()
                state[done] = 2
                order.append(done)
    return order, cycles
