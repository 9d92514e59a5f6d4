"""The drift report: where the curated model and the extracted inventory disagree."""

from __future__ import annotations

import json
from collections import Counter

from infradocs.core.archmodel import Model
from infradocs.core.diagrams.extracted import (
    AUTOMATIC_SECRETS,
    CI_PROVIDERS,
    SERVICES,
    Inventory,
    primary,
    repo_components,
    secret_tokens,
)
from infradocs.core.diagrams.lifecycle import Missing
from infradocs.core.siteconfig import ROOT

PROVIDER_OF = {cid: name for name, cid in CI_PROVIDERS.items()}


def _item(kind: str, detail: str, **fields) -> dict:
    return {
        "kind": kind,
        **{k: v for k, v in sorted(fields.items()) if v is not None},
        "detail": detail,
    }


def _repo_drift(model: Model, inv: Inventory) -> list[dict]:
    items = []
    by_repo, tokens = repo_components(model), secret_tokens(model)
    for key, comps in sorted(by_repo.items()):
        facts = inv.repos.get(key)
        if facts is None:
            for comp in comps:
                items.append(
                    _item(
                        "not-inventoried",
                        f"{comp.id}: {comp.repo} is not in the inventory",
                        component=comp.id,
                        repo=comp.repo,
                    )
                )
            continue
        for comp in comps:
            for rel in comp.get("relations", []):
                if rel["type"] != "builds-on" or rel["target"] not in PROVIDER_OF:
                    continue
                prov = PROVIDER_OF[rel["target"]]
                if prov not in facts.ci_providers:
                    items.append(
                        _item(
                            "curated-not-observed",
                            f"the model says {comp.id} builds on {rel['target']}; "
                            f"{facts.name} has no {prov} CI file",
                            component=comp.id,
                            repo=facts.name,
                            relation="builds-on",
                            target=rel["target"],
                        )
                    )
            for name in comp.get("credentials", []):
                if name not in facts.secrets:
                    items.append(
                        _item(
                            "curated-not-observed",
                            f"the model says {comp.id} holds {name}; "
                            f"no CI file of {facts.name} uses it",
                            component=comp.id,
                            repo=facts.name,
                            relation="holds",
                            secret=name,
                        )
                    )
        main = primary(comps)
        curated_ci = {
            r["target"] for c in comps for r in c.get("relations", []) if r["type"] == "builds-on"
        }
        for prov in facts.ci_providers:
            cid = CI_PROVIDERS.get(prov)
            if cid not in model:
                items.append(
                    _item(
                        "unmapped-provider",
                        f"{facts.name} uses {prov}, which no model component maps to",
                        repo=facts.name,
                        provider=prov,
                    )
                )
            elif cid not in curated_ci:
                items.append(
                    _item(
                        "observed-not-curated",
                        f"{facts.name} has {prov} CI files; the model has no builds-on {cid}",
                        component=main.id,
                        repo=facts.name,
                        relation="builds-on",
                        target=cid,
                    )
                )
        curated_secrets = {n for c in comps for n in c.get("credentials", [])}
        for name in facts.secrets:
            if name in AUTOMATIC_SECRETS:
                continue
            if name not in tokens:
                items.append(
                    _item(
                        "unmapped-secret",
                        f"{facts.name} uses secret {name}; no token component lists it",
                        repo=facts.name,
                        secret=name,
                    )
                )
            if name not in curated_secrets:
                items.append(
                    _item(
                        "observed-not-curated",
                        f"{facts.name} uses secret {name}; the model's credentials do not list it",
                        component=main.id,
                        repo=facts.name,
                        relation="holds",
                        secret=name,
                    )
                )
        for svc in facts.services:
            target = SERVICES.get(svc, (None, None))[0]
            if target not in model:
                items.append(
                    _item(
                        "unmapped-service",
                        f"{facts.name} talks to {svc}, which no model component maps to",
                        repo=facts.name,
                        service=svc,
                    )
                )
    for key, facts in sorted(inv.repos.items()):
        if key not in by_repo:
            items.append(
                _item(
                    "repo-not-in-model",
                    f"{facts.name} is in the inventory but no component has this repo",
                    repo=facts.name,
                )
            )
    return items


def drift_report(model: Model, inv: Inventory, missing: list[Missing]) -> dict:
    """The report as a JSON-ready dict with sorted items and a count per kind."""
    items = []
    if inv.status == "missing":
        items.append(_item("inventory-missing", "no inventory snapshot: no extracted relations"))
    items += [_item("inventory-problem", p) for p in inv.problems]
    if inv.status == "present":
        items += _repo_drift(model, inv)
    tokens = secret_tokens(model)
    for comp in model:
        for name in comp.get("credentials", []):
            if comp.kind != "token" and name not in tokens:
                items.append(
                    _item(
                        "credential-without-token",
                        f"{comp.id} holds {name}; no token component lists it",
                        component=comp.id,
                        secret=name,
                    )
                )
    for name, ids in sorted(tokens.items()):
        if len(ids) > 1:
            items.append(
                _item(
                    "duplicate-secret-name",
                    f"{name} is listed by several token components: {', '.join(ids)}",
                    secret=name,
                )
            )
    for m in sorted(set(missing), key=lambda m: (m.flow, m.participant)):
        items.append(
            _item(
                "flow-participant-missing",
                f"{m.flow}: participant {m.participant} names none of the model ids "
                f"{', '.join(m.ids)}",
                flow=m.flow,
            )
        )
    items.sort(key=lambda i: (i["kind"], json.dumps(i, sort_keys=True)))
    try:
        where = str(inv.path.relative_to(ROOT))
    except ValueError:
        where = str(inv.path)
    return {
        "schema_version": 1,
        "inventory": {"path": where, "status": inv.status, "repos": len(inv.repos)},
        "counts": dict(sorted(Counter(i["kind"] for i in items).items())),
        "items": items,
    }


def dump(report: dict) -> str:
    """The report as stable, sorted, indented JSON text."""
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
