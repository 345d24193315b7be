//! The control plane's OpenAPI document: valid OpenAPI 3.0 (checked against the OpenAPI
//! Initiative's own JSON Schema of 3.0 documents, `tests/openapi/oas-3.0-schema.json`), every
//! `/sandbox` route typed, and a client that knows only the document (operation ids, path
//! parameters, the request examples) calls routes and checks each answer against the
//! document's response schema for its status.

use jsonschema::Validator;
use serde_json::{json, Map, Value};

use orgbox::control::openapi::CONTROL_ROUTES;

use crate::helpers::*;
use crate::wallets::{child, create_go_account, service_token};

async fn document(app: &TestApp) -> Value {
    app.get("/sandbox/openapi.json", Auth::None).await.ok()
}

/// OpenAPI 3.0's `nullable: true` as JSON Schema: `type: [T, "null"]`.
fn as_json_schema(node: &Value) -> Value {
    match node {
        Value::Object(map) => {
            let mut out: Map<String, Value> = map
                .iter()
                .filter(|(k, _)| *k != "nullable" && *k != "example")
                .map(|(k, v)| (k.clone(), as_json_schema(v)))
                .collect();
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = map.get("type") {
                    out.insert("type".into(), json!([t, "null"]));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(as_json_schema).collect()),
        other => other.clone(),
    }
}

/// A validator of `schema`, its `#/components/schemas/...` references resolved in `doc`.
fn validator(doc: &Value, schema: &Value) -> Validator {
    let mut root = as_json_schema(schema);
    root["components"] = as_json_schema(&doc["components"]);
    jsonschema::draft7::options()
        .build(&root)
        .unwrap_or_else(|e| panic!("the document's schema does not compile: {e}: {schema}"))
}

/// The operation `id` of the document: method, path template, the operation.
fn find<'a>(doc: &'a Value, id: &str) -> (String, String, &'a Value) {
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op["operationId"] == id {
                return (method.to_ascii_uppercase(), path.clone(), op);
            }
        }
    }
    panic!("no operation {id}");
}

/// Calls operation `id` the way a generated client would: path parameters filled in, the
/// request body the document's example (or `body`), and the answer checked against the
/// document's schema for the status it came with. Returns the answer.
async fn call(
    app: &TestApp,
    doc: &Value,
    id: &str,
    params: &[(&str, &str)],
    body: Option<Value>,
) -> Value {
    let (method, template, op) = find(doc, id);
    let mut path = template.clone();
    for (name, value) in params {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    assert!(!path.contains('{'), "{id}: unfilled parameter in {path}");
    let example = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        .as_str()
        .map(|r| doc["components"]["schemas"][r.rsplit('/').next().unwrap()]["example"].clone());
    let mut req = Req::method(&method, &path);
    if let Some(sent) = body.or(example) {
        req = req.json(&sent);
    }
    let r = app.send(req).await;
    let status = r.status.to_string();
    let documented = op["responses"]
        .get(&status)
        .unwrap_or(&op["responses"]["default"]);
    let answer: Value = if r.body.is_empty() {
        Value::Null
    } else {
        r.json()
    };
    if let Some(schema) = documented["content"]["application/json"]["schema"].as_object() {
        let v = validator(doc, &Value::Object(schema.clone()));
        let errors: Vec<String> = v
            .iter_errors(&answer)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {path} {status} outside its schema: {errors:#?}\n{answer}"
        );
    } else {
        assert!(
            r.body.is_empty(),
            "{method} {path} {status}: a body the document does not describe"
        );
    }
    assert!(
        r.status < 300,
        "{method} {path} answered {status}: {answer}"
    );
    answer
}

#[actix_web::test]
async fn the_document_is_valid_openapi_and_types_every_control_route() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let meta: Value = serde_json::from_str(include_str!("../openapi/oas-3.0-schema.json")).unwrap();
    let oas = jsonschema::draft4::options().build(&meta).unwrap();
    let errors: Vec<String> = oas
        .iter_errors(&doc)
        .take(20)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not valid OpenAPI 3.0: {errors:#?}");

    let mut control = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if path.starts_with("/sandbox/") {
                control += 1;
                let typed = op["responses"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .any(|(status, r)| {
                        status.starts_with('2') && (status == "204" || r["content"].is_object())
                    });
                assert!(typed, "{method} {path}: no typed success response");
                let schemas = op["responses"]
                    .as_object()
                    .unwrap()
                    .values()
                    .chain(op.get("requestBody"));
                for schema in schemas
                    .filter_map(|r| r["content"]["application/json"]["schema"]["$ref"].as_str())
                {
                    let name = schema.rsplit('/').next().unwrap();
                    let example = &doc["components"]["schemas"][name]["example"];
                    assert!(!example.is_null(), "{name} has no example");
                    let v = validator(&doc, &json!({"$ref": schema}));
                    assert!(
                        v.is_valid(example),
                        "{name}'s example is outside its schema"
                    );
                }
            } else {
                let link = op["externalDocs"]["url"].as_str().unwrap_or_default();
                assert!(
                    link.starts_with("https://"),
                    "{method} {path}: no link to the vendor's schema"
                );
            }
        }
    }
    assert_eq!(
        control,
        CONTROL_ROUTES.len(),
        "every control-plane route is in the document"
    );
    // And every route the document lists is one the control plane serves.
    for (method, path, _) in CONTROL_ROUTES {
        let concrete = path
            .replace("{asset}", "ofctbtc")
            .replace('{', "x")
            .replace('}', "");
        let r = app
            .send(Req::method(method, &concrete).json(&json!({})))
            .await;
        let body = String::from_utf8_lossy(&r.body);
        assert!(
            r.status != 405 && !body.contains("no control-plane route"),
            "{method} {path}: {} {body}",
            r.status
        );
    }
    for listed in [
        "/api/v2/user/me",
        "/identity/connect/token",
        "/organizations/{id}/users",
    ] {
        assert!(doc["paths"][listed].is_object(), "{listed} is not listed");
    }
}

#[actix_web::test]
async fn a_client_knowing_only_the_document_drives_the_control_plane() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let service = service_token(&app).await;
    let account = create_go_account(&app, &service, &child(&app), 33).await;

    call(&app, &doc, "get_sandbox_health", &[], None).await;
    let moved = call(&app, &doc, "post_sandbox_clock", &[], None).await;
    assert_eq!(moved["offsetMs"], 3_600_000);
    let added = call(&app, &doc, "post_sandbox_faults", &[], None).await;
    assert_eq!(added["faults"][0]["status"], 503);
    call(&app, &doc, "get_sandbox_faults", &[], None).await;
    let funded = call(
        &app,
        &doc,
        "post_sandbox_wallets__id__faucet",
        &[("id", &account.id)],
        None,
    )
    .await;
    assert_eq!(funded["asset"], "ofctbtc");
    call(
        &app,
        &doc,
        "get_sandbox_wallets__id__ledger",
        &[("id", &account.id)],
        None,
    )
    .await;
    call(
        &app,
        &doc,
        "put_sandbox_prices__asset_",
        &[("asset", "ofctbtc")],
        None,
    )
    .await;
    call(&app, &doc, "post_sandbox_sandboxes", &[], None).await;
    call(&app, &doc, "get_sandbox_sandboxes", &[], None).await;
    call(
        &app,
        &doc,
        "post_sandbox_snapshots__name_",
        &[("name", "before-demo")],
        None,
    )
    .await;
    call(&app, &doc, "get_sandbox_snapshots", &[], None).await;
    call(&app, &doc, "put_sandbox_stubs", &[], None).await;
    call(&app, &doc, "get_sandbox_stubs", &[], None).await;
    app.login(BRENNAN).await;
    let page = call(&app, &doc, "get_sandbox_journal", &[], None).await;
    assert!(page["requests"][0]["requestBody"].is_string(), "{page}");
    call(&app, &doc, "get_sandbox_console_world", &[], None).await;
    call(&app, &doc, "get_sandbox_console_tokens", &[], None).await;
    call(&app, &doc, "get_sandbox_console_bitwarden", &[], None).await;
    call(&app, &doc, "get_sandbox_outbox", &[], None).await;
    call(&app, &doc, "get_sandbox_digest", &[], None).await;
    call(&app, &doc, "post_sandbox_reset", &[], None).await;
    call(&app, &doc, "delete_sandbox_journal", &[], None).await;
}

#[actix_web::test]
async fn a_client_knowing_only_the_document_drives_the_webhook_sandbox() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let service = service_token(&app).await;
    let account = create_go_account(&app, &service, &child(&app), 34).await;
    let wallet = format!("/api/v2/ofc/wallet/{}", account.id);
    app.post(
        &format!("{wallet}/webhooks"),
        json!({"type": "transfer", "url": format!("{}/sandbox/webhooks/inbox/ci", app.base),
               "allToken": true}),
        Auth::V2(service.clone()),
    )
    .await
    .ok();
    let trigger = json!({"type": "transfer", "walletId": account.id, "amount": "2500"});
    let fired = call(
        &app,
        &doc,
        "post_sandbox_webhooks_trigger",
        &[],
        Some(trigger),
    )
    .await;
    assert_eq!(
        fired["notifications"], 2,
        "unconfirmed now, confirmed later: {fired}"
    );
    let inbox = "get_sandbox_webhooks_inbox__name_";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let got = call(&app, &doc, inbox, &[("name", "ci")], None).await;
        if got["deliveries"][0]["json"]["transfer"] == fired["transferId"] {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no delivery: {got}");
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let listed = call(&app, &doc, "get_sandbox_webhooks_inbox", &[], None).await;
    assert_eq!(listed["inboxes"][0]["name"], "ci");
    let view = call(&app, &doc, "get_sandbox_webhooks", &[], None).await;
    assert_eq!(view["webhooks"][0]["notifications"][0]["type"], "transfer");
    let kept = call(
        &app,
        &doc,
        "post_sandbox_webhooks_inbox__name_",
        &[("name", "by-hand")],
        None,
    )
    .await;
    assert_eq!(kept["received"], true);
    let address = app
        .post(
            &format!("{wallet}/address"),
            json!({"onToken": "ofctbtc"}),
            Auth::V2(service),
        )
        .await
        .ok();
    let deposit = json!({"address": address["address"], "amount": "250000"});
    let arrived = call(
        &app,
        &doc,
        "post_sandbox_wallets__id__deposit",
        &[("id", &account.id)],
        Some(deposit),
    )
    .await;
    assert_eq!(arrived["state"], "unconfirmed", "{arrived}");
    call(
        &app,
        &doc,
        "delete_sandbox_webhooks_inbox__name_",
        &[("name", "ci")],
        None,
    )
    .await;
}
