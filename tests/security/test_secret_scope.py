from sechelpers import write_model

from infradocs.core.archmodel import load_model
from infradocs.core.security import secret_scope


def test_scope_from_the_model_and_findings(tmp_path):
    scope = secret_scope.scope_from_model(load_model(write_model(tmp_path / "m")))
    assert scope.token == {"PROD_UPLOAD_TOKEN": "prod-token"}
    assert scope.holders == {"PROD_UPLOAD_TOKEN": {"acme/uploader"}}
    data = b"on: push\n\njobs: {a: {env: {T: '${{ secrets.PROD_UPLOAD_TOKEN }}'}}}\n"
    lines = secret_scope.secret_lines(data, ["PROD_UPLOAD_TOKEN", "OTHER"])
    assert lines == {"PROD_UPLOAD_TOKEN": 3, "OTHER": None}
    found = secret_scope.check("acme/app", ["PROD_UPLOAD_TOKEN", "OTHER"], lines, scope)
    assert [(f["audit"], f["line"], f["severity"]) for f in found] == [
        ("secret-outside-scope", 3, "high")
    ]
    assert "acme/uploader" in found[0]["message"] and "acme/app" in found[0]["message"]
    assert secret_scope.check("ACME/Uploader", ["PROD_UPLOAD_TOKEN"], lines, scope) == []
