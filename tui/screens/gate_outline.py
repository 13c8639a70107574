"""The outline gate: the taxonomy as a tree of sections and their papers, editable in place.

`e` renames (a section, a subsection, or the review's title on the top line), `j`/`k` move a
section, a subsection or a paper down/up, `m` moves a paper to another section or subsection, `x`
leaves a paper out, `n` adds a section, `d` deletes a section (its papers are left out) or a
subsection (its papers stay in the section). Approving an untouched outline is a plain approve;
otherwise the edited outline goes back to the run (checked there against the papers it read).
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static, Tree

from agent.review.approval import OutlineRequest
from tui.outline_edit import OutlineEdit
from tui.screens.gate_base import GateScreen, LineEditor
from tui.screens.pick import PickScreen

Target = tuple[str, Any]
"""What a tree line is: ("title", -1), ("theme", index), ("sub", (index, sub)), ("paper", id) or
("left", -1)."""


class OutlineGate(GateScreen):
    """Edit and approve the review's outline."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "rename", "Rename"),
        Binding("k", "move(-1)", "Up"),
        Binding("j", "move(1)", "Down"),
        Binding("m", "assign", "Move to"),
        Binding("x", "leave_out", "Leave out"),
        Binding("n", "new_section", "New"),
        Binding("d", "delete_section", "Delete"),
    ]
    request: OutlineRequest

    def __init__(self, run_id: str, request: OutlineRequest) -> None:
        super().__init__(run_id, request)
        self.edit = OutlineEdit.start(request.outline, [p.arxiv_id for p in request.papers])
        self.titles = {p.arxiv_id: p.title for p in request.papers}
        self._editing: Target | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="gate"):
            yield Static(f"[b]Approve the outline[/b] for “{escape(self.request.topic)}”  [dim]run {self.run_id}[/]",
                         classes="gate-title")
            yield Static("", id="outline-count", classes="gate-subtitle")
            yield Tree[Target]("", data=("title", -1), id="outline")
            yield Static("", id="outline-info")
            yield LineEditor(id="outline-editor")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#outline-editor", LineEditor).display = False
        self.redraw(("title", -1))
        self.outline_tree.focus()

    @property
    def outline_tree(self) -> Tree[Target]:
        return self.query_one(Tree)

    def redraw(self, keep: Target = ("title", -1)) -> None:
        """Rebuild the tree from the edit model; put the cursor back on `keep`."""
        tree = self.outline_tree
        tree.clear()
        tree.root.set_label(f"[b]{escape(self.edit.title)}[/b]")
        lines: list[Target] = [("title", -1)]
        for index, theme in enumerate(self.edit.themes):
            kind = "" if theme.kind == "topic" else f" [dim i]{theme.kind}[/]"
            node = tree.root.add(f"{index + 1}. {escape(theme.title)} [dim]({len(theme.paper_ids)})[/]{kind}",
                                 data=("theme", index), expand=True)
            lines.append(("theme", index))
            for pid in theme.direct_ids() if theme.subthemes else theme.paper_ids:
                node.add_leaf(self._paper_label(pid), data=("paper", pid))
                lines.append(("paper", pid))
            for number, sub in enumerate(theme.subthemes):
                child = node.add(f"{index + 1}.{number + 1} {escape(sub.title)} [dim]({len(sub.paper_ids)})[/]",
                                 data=("sub", (index, number)), expand=True)
                lines.append(("sub", (index, number)))
                for pid in sub.paper_ids:
                    child.add_leaf(self._paper_label(pid), data=("paper", pid))
                    lines.append(("paper", pid))
        if self.edit.left_out:
            node = tree.root.add(f"[dim]Left out ({len(self.edit.left_out)})[/]", data=("left", -1), expand=True)
            lines.append(("left", -1))
            for pid in self.edit.left_out:
                node.add_leaf(self._paper_label(pid), data=("paper", pid))
                lines.append(("paper", pid))
        tree.root.expand()
        tree.move_cursor_to_line(lines.index(keep) if keep in lines else 0)
        papers = sum(len(t.paper_ids) for t in self.edit.themes)
        self.query_one("#outline-count", Static).update(
            f"{_count(len(self.edit.themes), 'section')} · {_count(papers, 'paper')} · "
            f"{len(self.edit.left_out)} left out"
            + (" · [b]edited[/b]" if self.edit.changed() else ""))

    def _paper_label(self, pid: str) -> str:
        return f"[cyan]{pid}[/]  {escape(self.titles.get(pid, ''))}"

    def _target(self) -> Target:
        node = self.outline_tree.cursor_node
        return node.data if node is not None and node.data is not None else ("title", -1)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[Target]) -> None:
        kind, value = event.node.data or ("title", -1)
        info = ""
        if kind == "theme" and value < len(self.edit.themes) and self.edit.themes[value].key_phrases:
            info = "key phrases: " + ", ".join(self.edit.themes[value].key_phrases)
        elif kind == "sub" and self._sub(value) is not None and self._sub(value).key_phrases:
            info = "key phrases: " + ", ".join(self._sub(value).key_phrases)
        elif kind == "paper":
            why = self.edit.why_left_out(str(value)) if value in self.edit.left_out else ""
            info = self.titles.get(str(value), "") + (f" — left out: {why}" if why else "")
        self.query_one("#outline-info", Static).update(escape(info))

    # -- edits ----------------------------------------------------------------------------------

    def _sub(self, value: Any) -> Any:
        index, number = value
        subs = self.edit.themes[index].subthemes if index < len(self.edit.themes) else []
        return subs[number] if number < len(subs) else None

    def action_rename(self) -> None:
        kind, value = self._target()
        if kind not in ("title", "theme", "sub"):
            self.notify("Rename works on the title or a section (papers keep their titles).")
            return
        current = {"title": lambda: self.edit.title, "theme": lambda: self.edit.themes[value].title,
                   "sub": lambda: self._sub(value).title}[kind]()
        self._editing = (kind, value)
        self.query_one(LineEditor).open("New title (enter saves, esc cancels)", current)

    def action_new_section(self) -> None:
        self._editing = ("new", -1)
        self.query_one(LineEditor).open("Title of the new section (enter adds it, esc cancels)")

    @on(Input.Submitted, "#outline-editor")
    def _edited(self, event: Input.Submitted) -> None:
        kind, value = self._editing or ("", -1)
        editor = self.query_one(LineEditor)
        editor.close()
        if kind == "new":
            keep: Target = ("theme", self.edit.add_theme(event.value))
        elif kind == "sub":
            index, sub = cast(tuple[int, int], value)
            self.edit.rename_sub(index, sub, event.value)
            keep = (kind, value)
        else:
            self.edit.rename(value if kind == "theme" else -1, event.value)
            keep = (kind, value)
        self._editing = None
        self.redraw(keep)
        self.outline_tree.focus()

    @on(LineEditor.Cancelled)
    def _cancelled(self) -> None:
        self._editing = None
        self.outline_tree.focus()

    def action_move(self, step: int) -> None:
        kind, value = self._target()
        if kind == "theme":
            self.redraw(("theme", self.edit.move_theme(value, step)))
        elif kind == "sub":
            self.redraw(("sub", (value[0], self.edit.move_sub(value[0], value[1], step))))
        elif kind == "paper":
            self.edit.move_paper(value, step)
            self.redraw(("paper", value))

    def action_assign(self) -> None:
        kind, pid = self._target()
        if kind != "paper" or not self.edit.themes:
            self.notify("Put the cursor on a paper to move it to a section.")
            return
        options: list[tuple[str, Any]] = []
        for n, theme in enumerate(self.edit.themes):
            options.append((f"{n + 1}. {theme.title}", (n, None)))
            options += [(f"   {n + 1}.{m + 1} {sub.title}", (n, m)) for m, sub in enumerate(theme.subthemes)]

        def chosen(where: Any) -> None:
            if where is not None:
                self.edit.assign(pid, *where)
                self.redraw(("paper", pid))

        self.app.push_screen(PickScreen(f"Move {pid} to", options), chosen)

    def action_leave_out(self) -> None:
        kind, pid = self._target()
        if kind == "paper" and pid not in self.edit.left_out:
            self.edit.leave_out(pid)
            self.redraw(("paper", pid))

    def action_delete_section(self) -> None:
        kind, index = self._target()
        if kind == "sub":
            self.edit.delete_sub(*index)
            self.redraw(("theme", index[0]))
            return
        if kind != "theme":
            self.notify("Put the cursor on a section to delete it (its papers are left out).")
            return
        self.edit.delete_theme(index)
        self.redraw(("theme", max(0, index - 1)) if self.edit.themes else ("title", -1))

    def action_approve(self) -> None:
        outline = self.edit.to_outline()
        if not outline.themes:
            self.notify("The outline needs a section with papers in it.", severity="warning")
            return
        if self.edit.changed():
            self.decide(action="edit", outline=outline)
        else:
            self.decide(action="approve")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
