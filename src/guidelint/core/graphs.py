"""Graphs of ids: the one algorithm the lineage rules and the lineage views share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def strongly_connected(following: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of the graph `following` (node -> the nodes it leads
    to), by Tarjan's algorithm without recursion, in O(nodes + links); a node named only as a
    target is a node too. Nodes and links are taken in sorted order, so the result is the same
    from run to run."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def targets(node: str) -> list[str]:
        return sorted(following.get(node, ()))

    for root in sorted(following):
        if root in order:
            continue
        work = [(root, iter(targets(root)))]
        order[root] = low[root] = len(order)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in order:
                    order[child] = low[child] = len(order)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(targets(child))))
                elif child in on_stack:
                    low[node] = min(low[node], order[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == order[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                components.append(members)
    return components
