"""The ``declass`` command: a thin layer over the pipeline.

Exit status 0 on success and 2 on bad input or usage, with one clear line on
standard error; the contract is in DESIGN.md and checks outside this
repository rely on it.
"""

from __future__ import annotations

import sys
from typing import BinaryIO

import click

from rules.errors import DeclassError
from service.report import analyze_report, dump_json

EPILOG_ANALYZE = """\b
Example:
  declass analyze cable.txt
  cat cable.txt | declass analyze -
"""


class _Group(click.Group):
    """Turn every declass error into one line on stderr and exit status 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except DeclassError as exc:
            click.echo(f"declass: error: {exc.message}", err=True)
            raise SystemExit(2) from None
        except OSError as exc:
            click.echo(f"declass: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
                       err=True)  # fmt: skip
            raise SystemExit(2) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="declass")
def cli() -> None:
    """declass: release documents that carry US classification markings."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: usage errors become one line on stderr and exit status 2."""
    try:
        result = cli.main(args=argv, prog_name="declass", standalone_mode=False)
    except click.ClickException as exc:
        click.echo(f"declass: error: {exc.format_message()}", err=True)
        return 2
    except click.Abort:
        click.echo("declass: aborted", err=True)
        return 130
    return result if isinstance(result, int) else 0


def read_input(source: BinaryIO) -> bytes:
    return source.read()


@cli.command(epilog=EPILOG_ANALYZE)
@click.argument("input_file", metavar="INPUT", type=click.File("rb"))
def analyze(input_file: BinaryIO) -> None:
    """Print the document model of INPUT as JSON ('-' reads standard input)."""
    report = analyze_report(read_input(input_file))
    click.echo(dump_json(report))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
