"""Editing an outline at its gate: titles, section order, which papers each section covers.

The outline screen draws this model and calls its operations; it has no Textual in it, so the
edits are tested on their own. Papers taken out of every section are kept in `left_out` (the
run reads them but the review will not discuss them; the run warns about them). A section may
have subsections: a subsection's papers are its section's too; deleting a subsection leaves its
papers in the section.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from agent.review.types import Outline, Theme


class OutlineEdit(BaseModel):
    """An outline being edited, and the papers it may use."""

    original: Outline
    title: str
    themes: list[Theme]
    left_out: list[str] = Field(default_factory=list)

    @classmethod
    def start(cls, outline: Outline, paper_ids: list[str]) -> OutlineEdit:
        """Begin editing `outline`; readable papers no section covers start out left out."""
        themes = [t.model_copy(deep=True) for t in outline.themes]
        covered = {i for t in themes for i in t.paper_ids}
        return cls(original=outline, title=outline.title, themes=themes,
                   left_out=[i for i in paper_ids if i not in covered])

    def changed(self) -> bool:
        """Whether anything differs from the proposed outline."""
        return self.to_outline() != self.original

    def to_outline(self) -> Outline:
        """The edited outline (sections and subsections without papers are dropped)."""
        themes = []
        for theme in self.themes:
            if not theme.paper_ids:
                continue
            subs = [sub.model_copy(update={"paper_ids": [i for i in sub.paper_ids if i in theme.paper_ids]})
                    for sub in theme.subthemes]
            themes.append(theme.model_copy(update={"subthemes": [s for s in subs if s.paper_ids]}, deep=True))
        return Outline(topic=self.original.topic, title=self.title.strip() or self.original.title,
                       themes=themes, left_out={i: self.original.left_out[i] for i in self.left_out
                                                if i in self.original.left_out})

    def why_left_out(self, paper_id: str) -> str:
        """Why the outline proposed leaving a paper out (empty when a person did)."""
        return self.original.left_out.get(paper_id, "")

    def rename_sub(self, index: int, sub: int, title: str) -> None:
        """Retitle subsection `sub` of section `index`."""
        title = " ".join(title.split())
        if title:
            self.themes[index].subthemes[sub].title = title

    def move_sub(self, index: int, sub: int, step: int) -> int:
        """Move a subsection up (-1) or down (+1) within its section; its new position."""
        subs = self.themes[index].subthemes
        target = sub + step
        if 0 <= target < len(subs):
            subs[sub], subs[target] = subs[target], subs[sub]
            return target
        return sub

    def delete_sub(self, index: int, sub: int) -> None:
        """Remove a subsection; its papers stay in the section."""
        self.themes[index].subthemes.pop(sub)

    def rename(self, index: int, title: str) -> None:
        """Retitle section `index` (-1: the review's title)."""
        title = " ".join(title.split())
        if not title:
            return
        if index < 0:
            self.title = title
        else:
            self.themes[index].title = title

    def move_theme(self, index: int, step: int) -> int:
        """Move a section up (-1) or down (+1); its new index."""
        target = index + step
        if 0 <= target < len(self.themes):
            self.themes[index], self.themes[target] = self.themes[target], self.themes[index]
            return target
        return index

    def add_theme(self, title: str) -> int:
        """Append an empty section; its index."""
        self.themes.append(Theme(title=" ".join(title.split()) or "New section"))
        return len(self.themes) - 1

    def delete_theme(self, index: int) -> None:
        """Remove a section; its papers are left out."""
        theme = self.themes.pop(index)
        self.left_out.extend(i for i in theme.paper_ids if i not in self.left_out)

    def where(self, paper_id: str) -> int | None:
        """The section holding a paper (None when left out)."""
        return next((n for n, t in enumerate(self.themes) if paper_id in t.paper_ids), None)

    def move_paper(self, paper_id: str, step: int) -> None:
        """Move a paper up or down within its (sub)section (the order it is discussed in)."""
        index = self.where(paper_id)
        if index is None:
            return
        theme = self.themes[index]
        ids = next((sub.paper_ids for sub in theme.subthemes if paper_id in sub.paper_ids),
                   theme.paper_ids)
        at = ids.index(paper_id)
        target = at + step
        if 0 <= target < len(ids):
            ids[at], ids[target] = ids[target], ids[at]

    def assign(self, paper_id: str, index: int, sub: int | None = None) -> None:
        """Put a paper into section `index`, or its subsection `sub` (out of wherever it was)."""
        self._take(paper_id)
        self.themes[index].paper_ids.append(paper_id)
        if sub is not None:
            self.themes[index].subthemes[sub].paper_ids.append(paper_id)

    def leave_out(self, paper_id: str) -> None:
        """Take a paper out of every section."""
        self._take(paper_id)
        self.left_out.append(paper_id)

    def _take(self, paper_id: str) -> None:
        for theme in self.themes:
            if paper_id in theme.paper_ids:
                theme.paper_ids.remove(paper_id)
            for sub in theme.subthemes:
                if paper_id in sub.paper_ids:
                    sub.paper_ids.remove(paper_id)
        if paper_id in self.left_out:
            self.left_out.remove(paper_id)
