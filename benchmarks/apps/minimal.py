"""The start-up baseline: the smallest useful Textual app.

Header + a 50-row, 6-column stock DataTable + Footer, the shape issue 7 used
for its reference figure. ``benchmarks/startup.py`` runs it under a pty and
waits for the first row's text (``r0001``) to appear on screen.
"""

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class MinimalApp(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("ID", "Name", "E-mail", "Status", "Created", "Count")
        table.add_rows(
            (f"r{i:04d}", f"Name {i}", f"user{i}@example.com", "active", "2026-11-20", str(i))
            for i in range(1, 51)
        )


if __name__ == "__main__":
    MinimalApp().run()
