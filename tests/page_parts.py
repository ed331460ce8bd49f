"""Read a served HTML page with the standard library's parser: its elements, and any code written inline."""

from __future__ import annotations

from html.parser import HTMLParser


class PageParts(HTMLParser):
    """The elements of a page as (tag, attributes) in document order, and the text inside its <script>/<style>."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.inline_code: list[tuple[str, str]] = []
        self._raw: str | None = None
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._raw = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw and data.strip():
            self.inline_code.append((self._raw, data))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.elements if name == tag]

    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.elements if attrs.get("id")}

    def asset_urls(self) -> list[str]:
        """What the page loads from the server: its scripts' src and its stylesheets' href."""
        scripts = [attrs["src"] for attrs in self.all("script") if attrs.get("src")]
        sheets = [attrs["href"] for attrs in self.all("link") if attrs.get("rel") == "stylesheet"]
        return [url for url in scripts + sheets if url]
