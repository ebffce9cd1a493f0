"""The committed schema.graphql is the public contract: it must match the code, and describe everything."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from federation.settings import Settings
from schema.graphql.api import build_schema, print_sdl

ROOT = Path(__file__).resolve().parents[3]


def test_committed_schema_matches_the_code() -> None:
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed == print_sdl(), "schema.graphql is stale: run `.venv/bin/arvio schema print --out schema.graphql`"


def test_every_type_field_and_argument_has_a_description() -> None:
    schema = build_schema(Settings(environment="test"))._schema
    missing = []
    for name, gtype in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID", "DateTime"}:
            continue
        if isinstance(gtype, (GraphQLObjectType, GraphQLInputObjectType)) and not name.startswith("_"):
            if not gtype.description:
                missing.append(name)
            for field_name, field in gtype.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description and arg_name not in {"input", "locale", "id"}:
                        missing.append(f"{name}.{field_name}({arg_name})")
        elif isinstance(gtype, GraphQLEnumType) and not gtype.description:
            missing.append(name)
    assert missing == []


def test_the_ingest_contract_names_are_stable() -> None:
    sdl = print_sdl()
    for fragment in ("submitRatings(input: SubmitRatingsInput!): SubmitRatingsPayload!",
                     "publicScore(", "clientRef: String!", "answeredAt: DateTime!",
                     "enum ItemStatus", "ACCEPTED", "DUPLICATE", "REJECTED"):
        assert fragment in sdl
