"""Readable terminal reports (rich) for LR results."""

from __future__ import annotations

import math

from rich.console import Console
from rich.table import Table

from nasab.engine.lr import LRResult, posterior


def fmt_lr(log10_lr: float) -> str:
    if log10_lr == -math.inf:
        return "0 (excluded)"
    if not math.isfinite(log10_lr):
        return "inf" if log10_lr > 0 else "nan"
    if abs(log10_lr) < 4:
        return f"{10**log10_lr:.4g}"
    return f"{10 ** (log10_lr % 1):.3f}e{int(math.floor(log10_lr)):+d}"


def fmt_log(x: float) -> str:
    if not math.isfinite(x):
        return "-Inf" if x == -math.inf else ("Inf" if x > 0 else "NaN")
    return f"{x:.4f}"


def print_lr_report(
    result: LRResult, console: Console | None = None, prior: float | None = None, title: str = ""
) -> None:
    """The LR report: hypotheses and models, the per-marker table, lineage lines, the
    posterior and the warnings."""
    console = console or Console(emoji=False)  # no :name: codes (nor their table's import)
    per_marker_models = _print_header(result, console, title)
    console.print(_marker_table(result, per_marker_models))
    _print_lineage(result, console)
    if result.inconsistent_markers:
        console.print(
            f"[red]Excluded at: {', '.join(result.inconsistent_markers)} "
            "(Mendelian inconsistency; no mutation model allows it)[/red]"
        )
    if prior is not None:
        console.print(
            f"  Posterior probability of identity with prior {prior:g}: "
            f"{posterior(result.log10_lr, prior):.6g}"
        )
    for w in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")


def _print_header(result: LRResult, console: Console, title: str) -> bool:
    """Hypotheses, observation, frequency and mutation models; whether the markers have
    different mutation models (then the table shows them)."""
    console.print(f"[bold]{title or 'Kinship likelihood ratio'}[/bold]")
    console.print(f"  H1: {result.poi} is the missing person {result.missing}")
    if result.theta > 0:
        console.print(
            f"  H2: {result.poi} is unrelated to the family, drawn with the family's "
            f"founders from one subpopulation (Balding-Nichols theta = "
            f"{result.theta:g}, exact)"
        )
    else:
        console.print(f"  H2: {result.poi} is unrelated to the family (Hardy-Weinberg)")
    console.print(f"  Observation model: {result.observation}")
    console.print(f"  Frequencies: {result.frequency_table}    Engine: {result.engine}")
    models = {m.mutation for m in result.markers}
    per_marker_models = len(models) > 1
    if result.mutation_model:
        console.print(f"  Mutation model: {result.mutation_model}")
    elif not per_marker_models:
        console.print(f"  Mutation model: {models.pop() if models else 'none'}")
    return per_marker_models


def _marker_table(result: LRResult, per_marker_models: bool) -> Table:
    pad = [""] if per_marker_models else []
    table = Table(show_header=True, header_style="bold")
    for name in ("Marker", "POI", *(["Mutation model"] if per_marker_models else [])):
        table.add_column(name)
    table.add_column("log10 LR", justify="right")
    table.add_column("LR", justify="right")
    for m in result.markers:
        style = "red" if m.log10_lr == -math.inf else None
        cells = [m.marker, m.poi_genotype] + ([m.mutation] if per_marker_models else [])
        table.add_row(
            *cells,
            fmt_log(m.log10_lr) if m.compared else "(not typed)",
            fmt_lr(m.log10_lr) if m.compared else "1",
            style=style,
        )
    table.add_section()
    auto = result.autosomal_log10_lr
    table.add_row(
        "Total" if not result.lineage else _autosomal_label(result),
        f"{result.n_compared} markers compared",
        *pad,
        fmt_log(auto),
        fmt_lr(auto),
        style="bold",
    )
    for e in result.lineage:
        table.add_row(
            e.kind + {"Y": " (Y-STR)", "SNP": " (autosomal, linked)"}.get(e.kind, ""),
            "used" if e.used else "no evidence",
            *pad,
            fmt_log(e.log10_lr),
            fmt_lr(e.log10_lr),
            style="red" if e.log10_lr == -math.inf else None,
        )
    if result.lineage:
        table.add_section()
        table.add_row(
            "Combined",
            "product",
            *pad,
            fmt_log(result.log10_lr),
            fmt_lr(result.log10_lr),
            style="bold",
        )
    return table


def _autosomal_label(result: LRResult) -> str:
    snp = any(e.kind in ("SNP", "X-SNP") for e in result.lineage)
    return "Autosomal STR" if snp else "Autosomal"


def _print_lineage(result: LRResult, console: Console) -> None:
    for e in result.lineage:
        console.print(f"  {e.kind}: {e.statement}")
        if e.used:
            console.print(f"    model: {e.model}; database: {e.database or 'none needed'}")
        for w in e.warnings:
            console.print(f"[yellow]warning:[/yellow] {w}")
    if result.lineage:
        from nasab.engine.lineage import combination_statement

        console.print(f"  Combined: {combination_statement(result.lineage)}")
