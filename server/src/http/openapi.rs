//! The OpenAPI document at `/api/openapi.json`, generated from the handlers (utoipa), so that
//! other towns can script their content.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    auth, exhibits, impact, invites, join, moderation, ops, printables, programme, rooms, slides,
    uploads, visits,
};

struct Security;

impl Modify for Security {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "staff",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                auth::SESSION_COOKIE,
                "Staff session from POST /api/session; changes also need the X-CSRF-Token header",
            ))),
        );
        components.add_security_scheme(
            "invite",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An exhibitor's invite token"))
                    .build(),
            ),
        );
    }
}

/// Answers every operation can give besides its own: the API's one error shape for malformed
/// paths and queries, for missing or wrong credentials on protected operations, and for bodies
/// that are too large, of the wrong type or do not fit. Added here once rather than repeated
/// on every handler, so that the document states every status the server can return.
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, ResponseBuilder, content::ContentBuilder};
        let error = |text: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(text)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build(),
            )
        };
        for item in api.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.delete,
                &mut item.put,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                let responses = &mut op.responses.responses;
                let existing: Vec<&str> = ["404", "409", "429", "503", "401", "403"]
                    .into_iter()
                    .filter(|code| responses.contains_key(*code))
                    .collect();
                let mut add = |code: &str, text: &str| {
                    match responses.get_mut(code) {
                        // A documented status without a body gets the error shape.
                        Some(RefOr::T(r)) if r.content.is_empty() => {
                            let described = r.description.clone();
                            *r = match error(&described) {
                                RefOr::T(r) => r,
                                RefOr::Ref(_) => unreachable!(),
                            };
                        }
                        Some(_) => {}
                        None => {
                            responses.insert(code.to_string(), error(text));
                        }
                    }
                };
                add("400", "a malformed path, query or body");
                if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    add("401", "not signed in, or no valid invite token");
                    add(
                        "403",
                        "signed in, but not allowed (CSRF token missing, invite used up)",
                    );
                }
                if op.request_body.is_some() {
                    add("413", "the body is too large");
                    add("415", "the body has the wrong content type");
                    add("422", "the body does not fit the rules");
                }
                for code in existing {
                    add(code, "see the error's message");
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "stadtlab API", description = "Rooms and joining, exhibits, uploads, moderation, invites and operations of a stadtlab server."),
    paths(
        exhibits::list, exhibits::get_one, exhibits::model, exhibits::thumbnail, exhibits::image,
        printables::info, printables::file, printables::repaired,
        uploads::upload,
        exhibits::approve, exhibits::reject, exhibits::hide,
        invites::create, invites::list, invites::revoke, invites::mine,
        auth::login, auth::current, auth::logout,
        uploads::queue,
        rooms::list, rooms::get_one, join::join, join::join_visit,
        visits::create, visits::list, visits::my_invite,
        moderation::bans, moderation::lift, moderation::audit, moderation::reports,
        slides::upload, slides::list, slides::page, slides::stage,
        programme::create, programme::delete, programme::list, programme::ics, programme::json,
        impact::export, impact::dictionary, impact::comments, impact::answers,
        ops::healthz, ops::metrics, ops::stats, document,
    ),
    components(schemas(super::error::ErrorBody)),
    modifiers(&Security, &CommonErrors),
    tags((name = "rooms"), (name = "visits"), (name = "exhibits"), (name = "moderation"), (name = "staff"),
         (name = "talks"), (name = "impact"), (name = "operations"))
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "operations",
    responses((status = 200, body = Object, description = "OpenAPI 3.1")))]
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
