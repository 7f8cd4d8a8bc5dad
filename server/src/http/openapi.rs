//! The OpenAPI document at `/api/openapi.json`, generated from the handlers (utoipa), so that
//! other towns can script their content.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{auth, exhibits, invites};

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

#[derive(OpenApi)]
#[openapi(
    info(title = "stadtlab API", description = "Exhibits, uploads, moderation and invites of a stadtlab server."),
    paths(
        exhibits::list, exhibits::get_one, exhibits::model, exhibits::thumbnail, exhibits::image,
        exhibits::upload,
        exhibits::approve, exhibits::reject, exhibits::hide,
        invites::create, invites::list, invites::revoke, invites::mine,
        auth::login, auth::current, auth::logout,
    ),
    modifiers(&Security),
    tags((name = "exhibits"), (name = "moderation"), (name = "staff"))
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
