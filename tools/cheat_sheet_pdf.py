"""Print the learner cheat sheet to PDF and say how many pages it takes.

    python tools/cheat_sheet_pdf.py                      # writes test-artifacts/cheat-sheet-A4.pdf and -Letter.pdf
    python tools/cheat_sheet_pdf.py --size A4 out.pdf    # one paper size, your file name

docs/cheat-sheet.md is turned into HTML with a plain print stylesheet (9 pt text, 12 mm margins) and
printed by headless Chromium (Debian's ``chromium``: ``sudo apt-get install chromium``). The sheet is meant
to fit one page on both A4 and US Letter; tests/test_docs.py checks that with this tool.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHEET = ROOT / "docs" / "cheat-sheet.md"
#: Each edition's printed sheet: English and French (docs/fr/aide-memoire.md).
SHEETS = {"en": SHEET, "fr": ROOT / "docs" / "fr" / "aide-memoire.md"}
ARTIFACTS = ROOT / "test-artifacts"
SIZES = ("A4", "Letter")

STYLE = """
@page { size: %(size)s; margin: 12mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9pt; line-height: 1.28;
       color: #000; margin: 0; }
h1 { font-size: 14pt; margin: 0 0 3pt; }
h2 { font-size: 10.5pt; margin: 7pt 0 2pt; }
p, ol, ul { margin: 2pt 0; }
ol, ul { padding-left: 16pt; }
table { border-collapse: collapse; width: 100%%; margin: 3pt 0; }
th, td { border: 0.6pt solid #888; padding: 1pt 3pt; vertical-align: top; text-align: left; }
th { background: #eee; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 92%%; }
"""


class PrintError(Exception):
    """The sheet could not be printed; the message says what is missing."""


def chromium() -> str | None:
    """Return the path of a Chromium binary, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def to_html(markdown: str, size: str = "A4") -> str:
    """Return the sheet as a standalone HTML page with the print stylesheet for *size*."""
    import mistune

    body = mistune.create_markdown(plugins=["table"])(markdown)
    title = html.escape(markdown.splitlines()[0].lstrip("# ").strip()) if markdown else "Cheat sheet"
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{STYLE % {'size': size}}</style></head><body>{body}</body></html>"
    )


def page_count(pdf: Path) -> int:
    """Count the pages of a PDF (with poppler's ``pdfinfo`` when it is installed)."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
        if match:
            return int(match.group(1))
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf.read_bytes()))


def print_pdf(markdown: str, out: Path, size: str = "A4") -> int:
    """Print *markdown* to the PDF *out* on paper *size*; return its number of pages.

    Raises
    ------
    PrintError
        Chromium is not installed, or it did not write the PDF.

    """
    browser = chromium()
    if browser is None:
        raise PrintError("chromium not found: install Debian's Chromium with `sudo apt-get install chromium`.")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "cheat-sheet.html"
        page.write_text(to_html(markdown, size), encoding="utf-8")
        command = [
            browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", f"--user-data-dir={folder}/profile",
            "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if not out.exists():
        raise PrintError(f"chromium did not write {out}: {done.stderr.strip()[-300:]}")
    return page_count(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Print docs/cheat-sheet.md (or the French docs/fr/aide-memoire.md) to PDF and count its pages."
    )
    parser.add_argument("--language", choices=sorted(SHEETS), default="en", help="the sheet's edition (default: en)")
    parser.add_argument("out", nargs="?", type=Path, help="the PDF to write (default: test-artifacts/)")
    parser.add_argument("--size", choices=SIZES, help="one paper size (default: both)")
    args = parser.parse_args(argv)
    sizes = [args.size] if args.size else list(SIZES)
    markdown = SHEETS[args.language].read_text(encoding="utf-8")
    suffix = "" if args.language == "en" else f"-{args.language}"
    worst = 0
    for size in sizes:
        out = args.out if args.out and len(sizes) == 1 else ARTIFACTS / f"cheat-sheet{suffix}-{size}.pdf"
        try:
            pages = print_pdf(markdown, out, size)
        except PrintError as problem:
            print(problem, file=sys.stderr)
            return 2
        worst = max(worst, pages)
        print(f"{out}: {pages} page{'s' if pages != 1 else ''} on {size}")
    if worst > 1:
        print("The sheet should fit one page: shorten it.", file=sys.stderr)
    return 0 if worst == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
