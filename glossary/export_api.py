"""Public export of the published glossary: GET /api/v1/export.skos.ttl (SKOS, Turtle)."""

from django.http import HttpRequest, HttpResponse
from ninja import Router

from glossary.concepts import concept_base
from glossary.interchange import export_records, skos

router = Router(tags=["export"])


@router.get(
    "/export.skos.ttl",
    summary="The published glossary as SKOS (Turtle)",
    description="Concepts with prefLabel, altLabel, hiddenLabel, definition and broader, "
    "narrower and related links in French, Italian and English.",
    # Turtle, not JSON: ninja would document a `response` model as application/json.
    response={200: None},
    openapi_extra={
        "responses": {200: {"content": {"text/turtle": {"schema": {"type": "string"}}}}}
    },
)
def export_skos(request: HttpRequest) -> HttpResponse:
    text = skos.dump(*export_records(published_only=True), base=concept_base(request))
    response = HttpResponse(text, content_type="text/turtle; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
