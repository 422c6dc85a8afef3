"""How the events' panels show their data on a node's page: formatted cards, chart data, the ranking's cells,
links that keep the page's filters (dashboards.registry.Panel.present)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from dashboards.nodes import feature_collection

from . import kpis

OVERDUE_LIMIT = 20


def _fmt(value, measure: str) -> str:
    if value is None:
        return "—"
    if measure == "percent":
        return f"{value:.1f}%"
    if measure == "hours":
        return f"{value:.1f} h"
    return f"{value}"


def kpis_(data: dict, view) -> dict:
    totals = data["totals"]
    cards = [
        {
            "key": k.key,
            "label": k.label,
            "definition": k.definition,
            "available": k.available,
            "value": _fmt(totals.get(k.key), k.measure) if k.available else _("n/a"),
        }
        for k in kpis.KPIS
    ]
    return {"cards": cards}


def trend(rows: list[dict], view) -> dict:
    return {
        "chart": {
            "trend": {
                "labels": [row["period"].isoformat() for row in rows],
                "events": [row["events"] for row in rows],
                "closed": [row["closed"] for row in rows],
                "closure_rate": [row["closure_rate"] for row in rows],
            },
            "labels": {"reported": _("reported"), "closed": _("closed"), "closure_rate": _("closure rate")},
        }
    }


def statuses(rows: list[dict], view) -> dict:
    return {"chart": {"statuses": [{"name": str(row["label"]), "value": row["events"]} for row in rows]}}


def categories(rows: list[dict], view) -> dict:
    return {
        "wide": "events.map" not in view.shown,
        "chart": {
            "categories": [
                {"name": row["category__parent__name"] or _("(none)"), "value": row["events"]} for row in rows
            ]
        },
    }


def _child_url(row, view) -> str:
    return f"{reverse(view.url_name, args=[row.node.pk])}?{view.query}"


def children_map(children: list, view) -> dict:
    """The children's polygons coloured by a KPI (dashboard.js draws them from the chart data)."""
    return {
        "rankable": kpis.RANKABLE,
        "chart": {
            "kpis": [{"key": k.key, "label": str(k.label), "measure": k.measure} for k in kpis.RANKABLE],
            "children": [
                {
                    "id": row.node.pk,
                    "name": row.node.name,
                    "url": _child_url(row, view),
                    **{k.key: row.kpis.get(k.key) for k in kpis.RANKABLE},
                }
                for row in children
            ],
            "geo": feature_collection([row.node for row in children]),
        },
    }


def ranking(children: list, view) -> dict:
    """The children's table: display text and a numeric sort key per KPI (no value sorts last)."""
    return {
        "rankable": kpis.RANKABLE,
        "ranking": [
            {
                "name": row.node.name,
                "code": row.node.code,
                "url": _child_url(row, view),
                "cells": [
                    {
                        "text": _fmt(row.kpis.get(k.key), k.measure),
                        "sort": "" if row.kpis.get(k.key) is None else str(row.kpis[k.key]),
                    }
                    for k in kpis.RANKABLE
                ],
            }
            for row in children
        ],
    }


def overdue(rows: list, view) -> dict:
    return {"overdue": rows, "overdue_limit": OVERDUE_LIMIT, "tall": "events.map" not in view.shown}
