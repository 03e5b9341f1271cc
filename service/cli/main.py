"""The ``declass`` command: a thin layer over the pipeline.

Exit status 0 on success and 2 on bad input or usage, with one clear line on
standard error; the contract is in docs/architecture.md 6.1 and checks outside this
repository rely on it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

import click

from declass.rules.errors import DeclassError, RequestError
from declass.rules.policy import load_policy, shipped_policies
from declass.service.cli.batch import batch
from declass.service.cli.options import (
    AS_OF,
    LOG,
    PAGE_SIZE,
    POLICY,
    PREVIEW,
    REVIEW,
    as_of_value,
    read_review,
    reviewed_as_of,
)
from declass.service.config import Settings
from declass.service.files import write_atomically
from declass.service.formats import FORMAT_NAMES, Format
from declass.service.pipeline import analysis, read, release, render
from declass.service.reader import ReadDocument
from declass.service.render.report import dump_json

EPILOG_ANALYZE = """\b
Examples:
  declass analyze cable.txt
  cat cable.txt | declass analyze - --as-of 2010-01-01
  declass analyze memo.docx          # also a PDF, or a PNG/TIFF scan
"""
EPILOG_REDACT = """\b
Examples:
  declass redact cable.txt -o released.txt
  declass redact cable.txt --policy partner-gbr-secret --format json
  declass redact cable.txt --format pdf -o released.pdf
  declass redact scan.png -o released.txt   # OCR: unsure lines go to review
  declass redact cable.txt --review cable.review.json --format pdf --log -o released.pdf
  declass redact cable.txt --format vaughn --page-size a4 -o withholdings.csv
  declass redact cable.txt --as-of 2040-01-01 --preview   # a DRAFT as of a later date
"""
EPILOG_POLICIES = """\b
Example:
  declass policies
"""
EPILOG_SERVE = """\b
Examples:
  declass serve                      # http://127.0.0.1:8080, gunicorn workers
  DECLASS_API_KEYS=... declass serve --host 0.0.0.0 --port 8080
  declass serve --dev                # Flask's development server, one process
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="declass")
def cli() -> None:
    """declass: release documents that carry US classification markings."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: bad input or usage is one line on stderr and exit status 2; no
    arguments at all print the whole help (still status 2: nothing was done)."""
    if not (sys.argv[1:] if argv is None else argv):
        with click.Context(cli, info_name="declass", **cli.context_settings) as context:
            click.echo(cli.get_help(context))
        return 2
    try:
        result = cli.main(args=argv, prog_name="declass", standalone_mode=False)
    except click.ClickException as exc:
        return _fail(exc.format_message())
    except DeclassError as exc:
        return _fail(exc.message)
    except OSError as exc:
        return _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    except click.Abort:
        click.echo("declass: aborted", err=True)
        return 130
    return result if isinstance(result, int) else 0


def _fail(message: str) -> int:
    click.echo(f"declass: error: {' '.join(message.split())}", err=True)
    return 2


#: Pages read from one PDF or scan: the service's default, so both edges refuse alike.
MAX_PAGES: int = Settings.model_fields["max_pdf_pages"].default


def read_input(source: BinaryIO) -> ReadDocument:
    """The document in INPUT, whatever its format; standard input is known by its bytes."""
    name = getattr(source, "name", None)
    filename = name if isinstance(name, str) and not name.startswith("<") else "-"
    return read(source.read(), None, filename, max_pages=MAX_PAGES)


@cli.command(epilog=EPILOG_ANALYZE)
@click.argument("input_file", metavar="INPUT", type=click.File("rb"))
@POLICY
@AS_OF
@PREVIEW
def analyze(input_file: BinaryIO, policy: str, as_of: str | None, preview: bool) -> None:
    """Print the document model and proposed decisions of INPUT as JSON ('-' = stdin)."""
    loaded, when = load_policy(policy), as_of_value(as_of, preview)
    document = read_input(input_file)
    decided = release(
        document.text,
        loaded,
        when,
        untrusted=document.untrusted,
        notes=document.problems,
        preview=preview,
    )
    click.echo(dump_json(analysis(decided, document.text)))


@cli.command(epilog=EPILOG_REDACT)
@click.argument("input_file", metavar="INPUT", type=click.File("rb"))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of standard output.",
)
@POLICY
@AS_OF
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default="text", show_default=True)
@REVIEW
@LOG
@PAGE_SIZE
@PREVIEW
def redact(
    input_file: BinaryIO,
    output: Path | None,
    policy: str,
    as_of: str | None,
    fmt: Format,
    review_file: Path | None,
    log: bool,
    page_size: str,
    preview: bool,
) -> None:
    """Release INPUT under a policy as text, PDF, a JSON report or a withholding log
    (vaughn, CSV) ('-' = stdin)."""
    if fmt == "pdf" and output is None and sys.stdout.isatty():
        raise RequestError("refusing to write a PDF to a terminal; use -o FILE or a pipe")
    loaded = load_policy(policy)
    review = read_review(review_file) if review_file is not None else None
    document = read_input(input_file)
    if review is None:
        when = as_of_value(as_of, preview)
    else:
        when = reviewed_as_of(review, as_of, document.text, loaded, preview)
    decided = release(
        document.text,
        loaded,
        when,
        untrusted=document.untrusted,
        notes=document.problems,
        overrides=review.overrides if review is not None else (),
        redactions=review.redactions if review is not None else (),
        preview=preview,
    )
    outcome = render(decided, document.text, fmt, log=log, page_size=page_size)
    if output is None:
        sys.stdout.buffer.write(outcome.output)
        sys.stdout.buffer.flush()
    else:
        write_atomically(output, outcome.output)


@cli.command(epilog=EPILOG_POLICIES)
def policies() -> None:
    """List the shipped release policies (id, version, title)."""
    for loaded in shipped_policies():
        p = loaded.policy
        click.echo(f"{p.id}\t{p.version}\t{p.title}")


@cli.command(epilog=EPILOG_SERVE)
@click.option("--host", help="Address to bind (DECLASS_HOST; default 127.0.0.1).")
@click.option("--port", type=int, help="Port to bind (DECLASS_PORT; default 8080).")
@click.option("--workers", type=int, help="Worker processes (DECLASS_WORKERS; 2 x cores + 1).")
@click.option("--dev", is_flag=True, help="Flask's development server instead of gunicorn.")
def serve(host: str | None, port: int | None, workers: int | None, dev: bool) -> None:
    """Serve the HTTP API; without DECLASS_API_KEYS only on a loopback address."""
    from declass.service.config import is_loopback, load_settings
    from declass.service.http.server import serve as run_server
    from declass.service.http.server import serve_dev

    settings = load_settings(host=host, port=port, workers=workers)
    if not settings.has_keys and not is_loopback(settings.host):
        raise click.UsageError(
            f"refusing to serve on {settings.host} without API keys; set DECLASS_API_KEYS"
        )
    (serve_dev if dev else run_server)(settings)


cli.add_command(batch)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
