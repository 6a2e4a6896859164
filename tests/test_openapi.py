"""The committed OpenAPI spec (issue 2): no drift, valid, complete enough for client generators."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from enum import Enum
from typing import Any, get_args

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from pydantic import BaseModel, ValidationError

from app.cli import OPENAPI_PATH, export_openapi
from app.domain.files import APPLICATION_KINDS, ARCHIVE_KINDS
from app.openapi import TAGS
from app.repositories.base import CURSOR_PATTERN, SEQ_CURSOR_PATTERN

METHODS = {"get", "post", "put", "patch", "delete"}
PUBLIC = {
    "/healthz",
    "/readyz",
    "/api/v1/auth/token",
    "/api/v1/auth/refresh",
    "/verify/{certificate_number}",
}
#: Read by Prometheus with its own bearer token, not by a user of any role.
SCRAPED = {"/metrics"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return json.loads(export_openapi())  # type: ignore[no-any-return]


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (p, m, op) for p, item in spec["paths"].items() for m, op in item.items() if m in METHODS
    ]


def test_committed_spec_matches_the_app() -> None:
    assert OPENAPI_PATH.read_text(encoding="utf-8") == export_openapi(), (
        "openapi/openapi.json is stale: run `.venv/bin/python -m app export-openapi`"
    )


def test_spec_is_valid_openapi(spec: dict[str, Any]) -> None:
    validate(spec)


def test_every_operation_has_unique_id_tag_summary(spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in _operations(spec)]
    assert len(ids) == len(set(ids))
    for path, method, op in _operations(spec):
        assert op.get("tags"), f"{method} {path} has no tag"
        assert op.get("summary"), f"{method} {path} has no summary"


def test_every_operation_states_who_may_call_it(spec: dict[str, Any]) -> None:
    for path, method, op in _operations(spec):
        if path in PUBLIC or path.startswith("/api/v1/public/"):
            assert "security" not in op, f"{method} {path} is public but declares security"
            continue
        if path in SCRAPED:
            assert op.get("security") == [{"metricsToken": []}], f"{method} {path} is not guarded"
            continue
        security = op.get("security")
        assert security, f"{method} {path} declares no security"
        roles = security[0]["OAuth2PasswordBearer"]
        assert roles, f"{method} {path} names no role"


def test_every_operation_documents_problem_responses(spec: dict[str, Any]) -> None:
    for path, method, op in _operations(spec):
        if path == "/healthz":
            continue
        problems = [
            s
            for s, r in op["responses"].items()
            if "application/problem+json" in r.get("content", {})
        ]
        assert problems, f"{method} {path} documents no problem response"


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        kind, name = node["$ref"].split("/")[-2:]
        node = spec["components"][kind][name]
    return node


#: A page for people answers "not found" as a page (its other errors stay problem+json).
HTML_NOT_FOUND = {("/verify/{certificate_number}", "404")}


PROBLEM_ONLY = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
#: A refused spreadsheet of a bulk import may be answered as its error report workbook
#: (docs/spreadsheets.md), when the caller's Accept prefers it.
ERROR_REPORT = {
    **PROBLEM_ONLY,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
}


def test_every_error_response_is_problem_json_and_nothing_else(spec: dict[str, Any]) -> None:
    wrong = [
        f"{method.upper()} {path} {status}: {sorted(response.get('content', {}))}"
        for path, method, op in _operations(spec)
        for status, response in op["responses"].items()
        if status[0] in "45"
        and (path, status) not in HTML_NOT_FOUND
        and response.get("content") != PROBLEM_ONLY
        and not (path.endswith(":bulk") and status == "422" and response["content"] == ERROR_REPORT)
    ]
    assert wrong == [], "errors must be application/problem+json with Problem only:\n" + "\n".join(
        wrong
    )
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_headers_and_header_parameters_are_referenced_from_components(
    spec: dict[str, Any],
) -> None:
    inline = [
        f"{method.upper()} {path}: {where}"
        for path, method, op in _operations(spec)
        for where in [
            *(
                f"parameter {p['name']}"
                for p in op.get("parameters", [])
                if p.get("in") == "header"
            ),
            *(
                f"{status} header {name}"
                for status, response in op["responses"].items()
                for name, header in response.get("headers", {}).items()
                if "$ref" not in header
            ),
        ]
    ]
    assert inline == [], "declare these in components/headers or components/parameters:\n" + (
        "\n".join(inline)
    )


def _header_names(op: dict[str, Any], spec: dict[str, Any]) -> set[str]:
    return {
        _resolve(spec, p)["name"]
        for p in op.get("parameters", [])
        if _resolve(spec, p)["in"] == "header"
    }


def test_writes_declare_idempotency_key_and_if_match_where_they_apply(
    spec: dict[str, Any],
) -> None:
    for path, method, op in _operations(spec):
        headers = _header_names(op, spec)
        idempotent = method == "post" and path.startswith("/api/v1/") and "/auth/" not in path
        assert ("Idempotency-Key" in headers) == idempotent, f"{method} {path}: Idempotency-Key"
        assert ("If-Match" in headers) == ("412" in op["responses"]), f"{method} {path}: If-Match"
        if idempotent:
            for status, response in op["responses"].items():
                if status.startswith("2"):
                    assert "Idempotent-Replayed" in response.get("headers", {}), (method, path)


def test_statuses_declare_the_headers_they_carry(spec: dict[str, Any]) -> None:
    carried = {
        "401": "WWW-Authenticate",
        "429": "Retry-After",
        "503": "Retry-After",
        "201": "Location",
    }
    for path, method, op in _operations(spec):
        for status, response in op["responses"].items():
            if status in carried:
                assert carried[status] in response.get("headers", {}), f"{method} {path} {status}"
    for name in ("ETag", "Location", "RetryAfter", "WWWAuthenticate"):
        assert spec["components"]["headers"][name]["required"] is True


def test_tagged_reads_declare_if_none_match_and_304(spec: dict[str, Any]) -> None:
    tagged = 0
    for path, method, op in _operations(spec):
        ok = op["responses"].get("200", {})
        if method == "get" and "ETag" in ok.get("headers", {}):
            tagged += 1
            assert "If-None-Match" in _header_names(op, spec), f"{method} {path}"
            assert "ETag" in op["responses"]["304"]["headers"], f"{method} {path}"
            assert "content" not in op["responses"]["304"]
    assert tagged > 0


def test_public_reads_declare_their_etag_and_304(spec: dict[str, Any]) -> None:
    public = [(p, op) for p, m, op in _operations(spec) if m == "get" and "/public/" in p]
    assert public
    for path, op in public:
        assert "ETag" in op["responses"]["200"].get("headers", {}), path
        assert "304" in op["responses"], path


def test_downloads_are_declared_binary(spec: dict[str, Any]) -> None:
    downloads = 0
    for path, method, op in _operations(spec):
        for status, response in op["responses"].items():
            for media, content in response.get("content", {}).items() if status[0] == "2" else ():
                if media.split(";")[0] != "application/json":
                    downloads += 1
                    assert content["schema"] == {"type": "string", "format": "binary"}, (
                        f"{method} {path} {status} {media}"
                    )
    assert downloads > 0


def test_pages_are_named_after_their_items(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    pages = {k: v["title"] for k, v in schemas.items() if v.get("title", "").endswith("Page")}
    assert "UserPublicPage" in pages
    misnamed = {k: title for k, title in pages.items() if k != title and "__" not in k}
    assert misnamed == {}


def test_schema_names_carry_no_module_path(spec: dict[str, Any]) -> None:
    leaked = sorted(n for n in spec["components"]["schemas"] if "__" in n)
    assert leaked == [], "rename the classes behind these (see the duplicate test):\n" + "\n".join(
        leaked
    )


def test_no_two_classes_reaching_the_spec_share_a_name() -> None:
    by_name: dict[str, set[str]] = {}
    for cls in _spec_classes():
        by_name.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert clashes == {}, "give each of these a name unique across the spec:\n" + "\n".join(
        f"{name}: {', '.join(where)}" for name, where in sorted(clashes.items())
    )


def _spec_classes(*, bodies_only: bool = False) -> set[type]:
    """The models and enums the spec is made of; with `bodies_only`, those of request bodies."""
    from fastapi.routing import APIRoute, iter_route_contexts

    from app.config import Settings
    from app.main import create_app
    from app.routers.bulk import ROW_MODELS

    app = create_app(Settings(database_url="sqlite://"))
    roots: list[Any] = [] if bodies_only else list(ROW_MODELS)
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute):
            continue
        if not bodies_only:
            roots.append(route.response_model)
            roots += [r.get("model") for r in route.responses.values()]
        dependants = [route.dependant]
        while dependants:
            dependant = dependants.pop()
            dependants += dependant.dependencies
            params = dependant.body_params
            if not bodies_only:
                params = [*params, *dependant.query_params, *dependant.path_params]
            roots += [param.field_info.annotation for param in params]
    found: set[type] = set()
    while roots:
        node = roots.pop()
        if isinstance(node, type) and issubclass(node, BaseModel | Enum):
            if node in found:
                continue
            found.add(node)
            if issubclass(node, BaseModel):
                roots += [f.annotation for f in node.model_fields.values()]
        roots += list(get_args(node))
    return found


def _body_properties() -> Iterator[tuple[type[BaseModel], str, dict[str, Any]]]:
    """Each property of each request body model, with its JSON schema."""
    for model in _spec_classes(bodies_only=True):
        if issubclass(model, BaseModel):
            schema = model.model_json_schema()
            for name, prop in schema.get("properties", {}).items():
                yield model, name, prop


def _refused_at(model: type[BaseModel], name: str, value: Any) -> bool:
    try:
        model.model_validate({name: value})
    except ValidationError as exc:
        return any(tuple(e["loc"][:1]) == (name,) for e in exc.errors())
    return False


def _branches(prop: dict[str, Any]) -> list[dict[str, Any]]:
    return [prop, *prop.get("anyOf", []), *prop.get("oneOf", [])]


def test_request_bodies_take_only_the_json_types_their_schema_declares() -> None:
    # Pydantic alone reads `true` and "1" as 1, `1` and "true" as true, `0` as 1970-01-01.
    wrong: dict[str, list[Any]] = {
        "integer": [True, "1"],
        "number": [True, "1"],
        "boolean": [1, "true"],
        "date": [0],
        "date-time": [0],
    }
    lax = sorted(
        f"{model.__name__}.{name} takes {value!r} for {kind}"
        for model, name, prop in _body_properties()
        for kind in {b.get("format") or b.get("type") for b in _branches(prop)} & wrong.keys()
        for value in wrong[kind]
        if not _refused_at(model, name, value)
    )
    assert lax == []


def test_request_bodies_take_null_exactly_where_their_schema_declares_it() -> None:
    wrong = sorted(
        f"{model.__name__}.{name}: schema {'admits' if admits else 'refuses'} null, model "
        f"{'refuses' if refused else 'takes'} it"
        for model, name, prop in _body_properties()
        for admits in [any(b.get("type") == "null" for b in _branches(prop))]
        for refused in [_refused_at(model, name, None)]
        if admits == refused
    )
    assert wrong == []


def test_every_tag_is_described_in_the_tags_table(spec: dict[str, Any]) -> None:
    described = {t["name"] for t in TAGS}
    used = {tag for _, _, op in _operations(spec) for tag in op.get("tags", [])}
    assert used - described == set(), (
        "add these tags to TAGS in app/openapi.py, each with a description: "
        f"{sorted(used - described)}"
    )
    assert described - used == set(), (
        f"remove (or rename) these unused TAGS: {sorted(described - used)}"
    )
    assert spec["tags"] == list(TAGS)
    assert all(t["description"] for t in TAGS)


def _request_examples(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], list[Any]]]:
    """Each JSON request body: its label, its (item) schema and the examples given for it."""
    for path, method, op in _operations(spec):
        content = op.get("requestBody", {}).get("content", {}).get("application/json")
        if content is None:
            continue
        schema = content.get("schema", {})
        # A list of rows (bulk) or an optional body (`X | None`) gives its examples in `X`.
        item = schema.get("items") or next(
            (s for s in schema.get("anyOf", []) if "$ref" in s), schema
        )
        target = _resolve(spec, item)
        examples = [e["value"] for e in content.get("examples", {}).values()]
        examples += target.get("examples", [])
        name = item.get("$ref", "inline").split("/")[-1]
        yield f"{method.upper()} {path} ({name})", target, examples


def test_every_request_body_has_an_example(spec: dict[str, Any]) -> None:
    missing = sorted(label for label, _, examples in _request_examples(spec) if not examples)
    assert missing == [], (
        "add json_schema_extra={'examples': [...]} to the body models of:\n" + "\n".join(missing)
    )


def test_every_example_is_valid_against_its_schema(spec: dict[str, Any]) -> None:
    def errors(schema: dict[str, Any], example: Any) -> list[str]:
        # The schema as a document root beside the spec's components, which its $refs name.
        rooted = {**schema, "components": spec["components"]}
        return [e.message for e in Draft202012Validator(rooted).iter_errors(example)]

    invalid = [
        f"{label}: {message}"
        for label, schema, examples in _request_examples(spec)
        for example in examples
        for message in errors(schema, example)
    ]
    invalid += [
        f"{name}: {message}"
        for name, schema in spec["components"]["schemas"].items()
        for example in schema.get("examples", [])
        for message in errors(schema, example)
    ]
    assert invalid == [], "fix these examples:\n" + "\n".join(invalid)


CURSOR_PATTERNS = (CURSOR_PATTERN, SEQ_CURSOR_PATTERN)


def test_cursors_are_declared_with_the_pattern_the_server_accepts(spec: dict[str, Any]) -> None:
    undeclared = [
        f"{method.upper()} {path}"
        for path, method, op in _operations(spec)
        for p in op.get("parameters", [])
        if p.get("name") == "cursor"
        and not any(pattern in json.dumps(p["schema"]) for pattern in CURSOR_PATTERNS)
    ]
    assert undeclared == [], (
        "page with PageDep (SequencePageDep for a sequence-numbered log), or type the cursor as"
        " app.repositories.base.Cursor:\n" + "\n".join(undeclared)
    )
    page = spec["components"]["schemas"]["UserPublicPage"]["properties"]["next_cursor"]
    assert page["anyOf"][0]["pattern"] == CURSOR_PATTERN


def test_base_apply_2_and_archive_1_upload_forms_declare_the_kinds_the_service_takes(
    spec: dict[str, Any],
) -> None:
    schemas = spec["components"]["schemas"]
    declared = {
        name: set(schemas[name]["properties"]["kind"]["enum"])
        for name in (
            "Body_add_base_application_attachment",
            "Body_add_base_activity_attachment",
            "Body_add_base_annual_report_attachment",
        )
    }
    assert declared == {
        "Body_add_base_application_attachment": {k.value for k in APPLICATION_KINDS},
        "Body_add_base_activity_attachment": {k.value for k in ARCHIVE_KINDS},
        "Body_add_base_annual_report_attachment": {k.value for k in ARCHIVE_KINDS},
    }


def test_context_codes_are_none_of_the_codes_pydantic_gives_a_schema_violation() -> None:
    from pydantic_core.core_schema import ErrorType

    from app.errors import CONTEXT_CODES

    assert CONTEXT_CODES.isdisjoint(get_args(ErrorType))


def test_every_constraint_is_a_json_schema_keyword(spec: dict[str, Any]) -> None:
    # Pydantic writes a bound it cannot place on a type (a bound on `int | None` whose `int`
    # has a validator) under its own name, which no client or validator reads.
    raw: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            raw.extend(f"{where}.{k}" for k in ("ge", "le", "gt", "lt") if k in node)
            for key, value in node.items():
                if key not in {"properties", "examples", "example"} or isinstance(value, dict):
                    walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{where}[{i}]")

    walk(spec.get("components", {}).get("schemas", {}), "schemas")
    assert raw == []


def test_every_integer_of_a_request_body_states_bounds_that_a_column_stores() -> None:
    from app.domain.common import INT_MAX

    unbounded = sorted(
        f"{model.__name__}.{name}"
        for model, name, prop in _body_properties()
        for branch in _branches(prop)
        if branch.get("type") == "integer"
        and not (
            branch.get("minimum", -math.inf) >= -INT_MAX - 1
            and branch.get("maximum", math.inf) <= INT_MAX
        )
    )
    assert unbounded == []
