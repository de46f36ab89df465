//! The OpenAPI 3 document served at `/api/openapi.json`, written by hand from the same tables
//! the handlers use (parameters, error codes, limits).

use serde_json::{json, Value};

use crate::api::{DEFAULT_PAGE, DEFAULT_ROWS, MAX_MENTIONS_OFFSET, MAX_ROWS};
use crate::error::ErrorCode;
use crate::ServerConfig;

/// The API's version; bumped when a response changes shape.
pub const API_VERSION: &str = "1";

fn param(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn filter_params() -> Vec<Value> {
    let s = || json!({"type": "string"});
    vec![
        param(
            "date_from",
            "First event date, inclusive.",
            json!({"type": "string", "format": "date"}),
        ),
        param(
            "date_to",
            "Last event date, inclusive.",
            json!({"type": "string", "format": "date"}),
        ),
        param(
            "cameo",
            "CAMEO code or root prefix: 19 matches 190-196.",
            json!({"type": "string", "pattern": "^[0-9]{1,4}$"}),
        ),
        param(
            "plover_type",
            "PLOVER event type, such as ASSAULT.",
            json!({"type": "string", "pattern": "^[A-Za-z_]{1,20}$"}),
        ),
        param(
            "acled_type",
            "ACLED event type, such as Battles (matched literally, case-insensitive).",
            s(),
        ),
        param(
            "quad_class",
            "QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.",
            json!({"type": "integer", "minimum": 1, "maximum": 4}),
        ),
        param(
            "source",
            "Source actor code prefix (USA, USAMIL).",
            json!({"type": "string", "pattern": "^[A-Za-z0-9]{1,30}$"}),
        ),
        param(
            "target",
            "Target actor code prefix.",
            json!({"type": "string", "pattern": "^[A-Za-z0-9]{1,30}$"}),
        ),
        param(
            "source_country",
            "Source actor country, ISO 3166-1 alpha-3.",
            json!({"type": "string", "pattern": "^[A-Za-z]{3}$"}),
        ),
        param(
            "target_country",
            "Target actor country, ISO 3166-1 alpha-3.",
            json!({"type": "string", "pattern": "^[A-Za-z]{3}$"}),
        ),
        param(
            "country",
            "Country of the event's place, ISO 3166-1 alpha-3.",
            json!({"type": "string", "pattern": "^[A-Za-z]{3}$"}),
        ),
        param(
            "admin1",
            "First-level division of the event's place, as the gazetteer names it (literal).",
            s(),
        ),
        param(
            "bbox",
            "Bounding box of the event's place: min_lon,min_lat,max_lon,max_lat.",
            s(),
        ),
        param(
            "article",
            "Only events with a mention in this article id (literal).",
            s(),
        ),
    ]
}

fn limit(default: usize, max: usize) -> Value {
    param(
        "limit",
        "How many rows at most.",
        json!({"type": "integer", "minimum": 1, "maximum": max, "default": default}),
    )
}

fn cursor() -> Value {
    param(
        "cursor",
        "The next_cursor of the previous page.",
        json!({"type": "string"}),
    )
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn errors(codes: &[ErrorCode]) -> Value {
    let mut out = serde_json::Map::new();
    for code in codes {
        let status = code.status().as_u16().to_string();
        let entry = out.entry(status).or_insert_with(|| {
            json!({"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
        });
        let d = entry["description"].as_str().unwrap_or("").to_string();
        let d = if d.is_empty() {
            format!("error code `{}`", code.as_str())
        } else {
            format!("{d}, `{}`", code.as_str())
        };
        entry["description"] = Value::String(d);
    }
    Value::Object(out)
}

fn responses(description: &str, schema: Value, codes: &[ErrorCode]) -> Value {
    let mut r = errors(codes);
    r["200"] = ok(description, schema);
    r
}

fn with_filters(extra: Vec<Value>) -> Value {
    let mut v = filter_params();
    v.extend(extra);
    Value::Array(v)
}

/// The document, with the server's limits filled in.
pub fn document(config: &ServerConfig) -> Value {
    use ErrorCode::*;
    let read = [InvalidParameter, UnknownParameter, Timeout, Internal];
    let max_page = config.max_page;
    let error_table: Vec<Value> = ErrorCode::ALL
        .iter()
        .map(|c| json!({"code": c.as_str(), "status": c.status().as_u16()}))
        .collect();
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "dyad API",
            "version": API_VERSION,
            "description": format!(
                "Coded political and conflict events: who did what to whom, where and when. \
                 Read-only unless the server was started with --token. Every error has the \
                 shape {{\"error\":{{\"code\",\"message\"}}}}; the codes and their statuses: {}. \
                 Limits: pages of at most {} events, request bodies of at most {} bytes, \
                 queries of at most {} ms.",
                serde_json::to_string(&error_table).unwrap_or_default(),
                max_page,
                config.max_body_bytes,
                config.query_timeout.as_millis()
            ),
            "license": {"name": "MIT OR Apache-2.0"}
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/events": {"get": {
                "summary": "Events that pass the filters, newest first, one page at a time.",
                "parameters": with_filters(vec![limit(DEFAULT_PAGE, max_page), cursor()]),
                "responses": responses("A page of events.", json!({"$ref": "#/components/schemas/EventPage"}), &read)
            }},
            "/api/events/{id}": {"get": {
                "summary": "One event with its mentions and their evidence, a page of mentions at a time (the representative report first; next_mentions_offset gives the next page, and the event's num_mentions counts them all).",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    param("mentions_limit", "How many mentions at most.", json!({"type": "integer", "minimum": 1, "maximum": max_page, "default": DEFAULT_PAGE})),
                    param("mentions_offset", "The first mention to give: the next_mentions_offset of the previous page.", json!({"type": "integer", "minimum": 0, "maximum": MAX_MENTIONS_OFFSET, "default": 0}))],
                "responses": responses("The event.", json!({"$ref": "#/components/schemas/EventDetail"}), &[InvalidParameter, UnknownParameter, NotFound, Timeout, Internal])
            }},
            "/api/counts": {"get": {
                "summary": "Counts of events, fatalities and mean Goldstein, grouped.",
                "parameters": with_filters(vec![param("group_by", "Up to three keys, comma-separated: day, week (the Monday), month, country, admin1, dyad, root, type.", json!({"type": "string"}))]),
                "responses": responses("One row per group, keyed by the group_by names.", json!({"type": "object", "properties": {
                    "group_by": {"type": "array", "items": {"type": "string"}},
                    "rows": {"type": "array", "items": {"type": "object", "properties": {
                        "count": {"type": "integer"}, "fatalities": {"type": "integer"},
                        "goldstein_mean": {"type": "number", "nullable": true}},
                        "additionalProperties": {"type": "string", "nullable": true}}}}}), &read)
            }},
            "/api/dyads": {"get": {
                "summary": "Source–target pairs with most events.",
                "parameters": with_filters(vec![limit(DEFAULT_ROWS, MAX_ROWS)]),
                "responses": responses("Dyads.", json!({"type": "object", "properties": {"dyads": {"type": "array", "items": {"$ref": "#/components/schemas/Dyad"}}}}), &read)
            }},
            "/api/actors": {"get": {
                "summary": "Actor codes of the events that pass the filters, most events first.",
                "parameters": with_filters(vec![limit(DEFAULT_ROWS, MAX_ROWS)]),
                "responses": responses("Actors.", json!({"type": "object", "properties": {"actors": {"type": "array", "items": {"$ref": "#/components/schemas/Actor"}}}}), &read)
            }},
            "/api/articles": {"get": {
                "summary": "Stored articles, by id, one page at a time.",
                "parameters": [limit(DEFAULT_PAGE, max_page), cursor()],
                "responses": responses("A page of articles.", json!({"type": "object", "properties": {
                    "articles": {"type": "array", "items": {"$ref": "#/components/schemas/Article"}},
                    "next_cursor": {"type": "string", "nullable": true}}}), &read)
            }},
            "/api/ingest": {"post": {
                "summary": "Code JSONL articles with the built-in coder and store them. Needs --token on the server and Authorization: Bearer TOKEN.",
                "security": [{"bearer": []}],
                "requestBody": {"required": true, "content": {"application/x-ndjson": {"schema": {"type": "string", "description": "One article per line: {\"id\",\"text\",\"date\",\"title\",\"source\",\"url\",\"language\"}."}}}},
                "responses": responses("What was coded and stored, and the coded events.", json!({"type": "object", "properties": {
                    "articles": {"type": "integer"},
                    "rejected": {"type": "array", "items": {"type": "object", "properties": {"line": {"type": "integer"}, "message": {"type": "string"}}}},
                    "stored": {"type": "object"},
                    "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}}),
                    &[InvalidBody, UnknownParameter, Unauthorized, ReadOnly, PayloadTooLarge, Timeout, Internal])
            }},
            "/api/stream": {"get": {
                "summary": "Server-sent events: `ready`, then `events` ({file, events}) whenever events are stored.",
                "responses": {"200": {"description": "An event stream.", "content": {"text/event-stream": {"schema": {"type": "string"}}}}}
            }},
            "/api/health": {"get": {
                "summary": "Is the server up and its store reachable?",
                "responses": responses("Healthy.", json!({"type": "object", "properties": {"status": {"type": "string"}, "backend": {"type": "string"}}}), &[Timeout, Internal])
            }},
            "/api/version": {"get": {
                "summary": "dyad's version and the API's.",
                "responses": responses("Versions.", json!({"type": "object", "properties": {"name": {"type": "string"}, "version": {"type": "string"}, "api": {"type": "string"}}}), &[UnknownParameter])
            }},
            "/api/openapi.json": {"get": {
                "summary": "This document.",
                "responses": {"200": {"description": "OpenAPI 3 document.", "content": {"application/json": {}}}}
            }}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message"], "properties": {
                        "code": {"type": "string", "enum": ErrorCode::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>()},
                        "message": {"type": "string"}}}}},
                "Actor": {"type": "object", "properties": {
                    "code": {"type": "string"}, "name": {"type": "string", "nullable": true},
                    "country": {"type": "string", "nullable": true}, "sector": {"type": "string", "nullable": true},
                    "as_source": {"type": "integer"}, "as_target": {"type": "integer"}}},
                "EventActor": {"type": "object", "nullable": true, "properties": {
                    "text": {"type": "string"}, "code": {"type": "string"}, "country": {"type": "string", "nullable": true},
                    "sector": {"type": "string", "nullable": true}, "name": {"type": "string"}}},
                "Evidence": {"type": "object", "properties": {
                    "text": {"type": "string"},
                    "trigger": {"type": "object", "properties": {"text": {"type": "string"}, "start": {"type": "integer"}, "end": {"type": "integer"}}},
                    "source_span": {"type": "array", "nullable": true, "items": {"type": "integer"}},
                    "target_span": {"type": "array", "nullable": true, "items": {"type": "integer"}},
                    "rule": {"type": "string"}},
                    "description": "Spans are UTF-8 byte offsets into text."},
                "Event": {"type": "object", "description": "An event as the contract defines it (docs/event-contract.md).", "properties": {
                    "event_id": {"type": "string"}, "article_id": {"type": "string"}, "sentence": {"type": "integer"},
                    "date": {"type": "string", "nullable": true}, "date_precision": {"type": "string", "nullable": true},
                    "source": {"$ref": "#/components/schemas/EventActor"}, "target": {"$ref": "#/components/schemas/EventActor"},
                    "cameo": {"type": "object", "properties": {"code": {"type": "string"}, "root": {"type": "string"}, "quad_class": {"type": "integer"}, "goldstein": {"type": "number"}}},
                    "plover": {"type": "object", "properties": {"type": {"type": "string", "nullable": true}, "mode": {"type": "string", "nullable": true}, "contexts": {"type": "array", "items": {"type": "string"}}}},
                    "acled": {"type": "object", "properties": {"event_type": {"type": "string", "nullable": true}, "sub_event_type": {"type": "string", "nullable": true}}},
                    "location": {"type": "object", "nullable": true},
                    "fatalities": {"type": "integer", "nullable": true},
                    "quantities": {"type": "array", "items": {"type": "object"}},
                    "evidence": {"$ref": "#/components/schemas/Evidence"}}},
                "StoredEvent": {"allOf": [{"$ref": "#/components/schemas/Event"}, {"type": "object", "properties": {
                    "num_mentions": {"type": "integer"}, "num_sources": {"type": "integer"}, "num_articles": {"type": "integer"}}}]},
                "EventPage": {"type": "object", "properties": {
                    "events": {"type": "array", "items": {"$ref": "#/components/schemas/StoredEvent"}},
                    "next_cursor": {"type": "string", "nullable": true}}},
                "EventDetail": {"type": "object", "properties": {
                    "event": {"$ref": "#/components/schemas/StoredEvent"},
                    "mentions": {"type": "array", "items": {"type": "object", "properties": {
                        "mention_id": {"type": "string"}, "article_id": {"type": "string"},
                        "article_source": {"type": "string", "nullable": true}, "article_title": {"type": "string", "nullable": true},
                        "article_url": {"type": "string", "nullable": true}, "sentence": {"type": "integer"},
                        "date": {"type": "string", "nullable": true}, "location": {"type": "string", "nullable": true},
                        "evidence": {"$ref": "#/components/schemas/Evidence"},
                        "merged_with": {"type": "string", "nullable": true}, "reason": {"type": "string", "nullable": true}}}},
                    "next_mentions_offset": {"type": "integer", "description": "Where the next page of mentions starts; absent on the last page."}}},
                "Dyad": {"type": "object", "properties": {
                    "source": {"type": "string"}, "target": {"type": "string"}, "count": {"type": "integer"},
                    "conflict": {"type": "integer"}, "fatalities": {"type": "integer"},
                    "goldstein_mean": {"type": "number", "nullable": true}}},
                "Article": {"type": "object", "properties": {
                    "id": {"type": "string"}, "date": {"type": "string", "nullable": true}, "source": {"type": "string", "nullable": true},
                    "url": {"type": "string", "nullable": true}, "title": {"type": "string", "nullable": true},
                    "text_hash": {"type": "string"}, "mentions": {"type": "integer"}}}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_lists_every_endpoint_and_error_code() {
        let doc = document(&ServerConfig::new("x.db"));
        assert_eq!(doc["openapi"], "3.0.3");
        for path in [
            "/api/events",
            "/api/events/{id}",
            "/api/counts",
            "/api/dyads",
            "/api/actors",
            "/api/articles",
            "/api/ingest",
            "/api/stream",
            "/api/health",
            "/api/version",
            "/api/openapi.json",
        ] {
            assert!(doc["paths"][path].is_object(), "{path}");
        }
        let codes = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
            ["code"]["enum"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(codes, ErrorCode::ALL.len());
        // Every $ref points at a schema that exists.
        let text = doc.to_string();
        for r in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = &r[..r.find('"').unwrap()];
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "missing {name}"
            );
        }
    }
}
