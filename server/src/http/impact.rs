//! The impact figures for staff and researchers: the exports (CSV and JSON per table, small
//! counts left out), their data dictionary, and the privacy page that says what is stored.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::Staff;
use super::extract::{ApiPath, ApiQuery};
use super::{ApiError, AppState};
use crate::impact::{day_of, export, privacy_page};
use crate::storage::{CommentRow, TalkAnswerRow, unix_now};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// First day, `YYYY-MM-DD` (default: a year ago).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: today).
    pub to: Option<String>,
    /// One room only (`rooms` exports).
    pub room: Option<String>,
    /// Every count as it is, small ones too: for the staff dashboard, not for publishing.
    pub exact: Option<bool>,
}

impl Range {
    /// The first and last day asked for (a year up to today by default).
    fn days(&self) -> Result<(String, String), ApiError> {
        let now = unix_now();
        Ok((
            day(self.from.as_deref(), now - 365 * 86_400)?,
            day(self.to.as_deref(), now)?,
        ))
    }
}

fn day(text: Option<&str>, default: i64) -> Result<String, ApiError> {
    match text {
        None => Ok(day_of(default)),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(|d| d.to_string())
            .map_err(|_| ApiError::bad_request("invalid_day", "days are written YYYY-MM-DD")),
    }
}

fn with_type(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// One export: `rooms`, `exhibits`, `talks` or `visits`, as `.csv` or `.json`; counts from 1
/// to the minimum count less one are empty (`null`).
#[utoipa::path(get, path = "/api/impact/{export}", tag = "impact",
    params(("export" = String, Path, description = "rooms, exhibits, talks or visits, .csv or .json"), Range),
    responses((status = 200, description = "the table as CSV or JSON",
                content((String = "text/csv"), (Object = "application/json"))),
              (status = 404, body = super::error::ErrorBody, description = "no such export")),
    security(("staff" = [])))]
pub async fn export(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(name): ApiPath<String>,
    ApiQuery(range): ApiQuery<Range>,
) -> Result<Response, ApiError> {
    let (from, to) = range.days()?;
    let (table, format) = name.split_once('.').unwrap_or((name.as_str(), ""));
    if !matches!(table, "rooms" | "exhibits" | "talks" | "visits")
        || !matches!(format, "csv" | "json")
    {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_export",
            "exports are rooms, exhibits, talks and visits, each .csv or .json",
        ));
    }
    // What was counted in the last minute belongs in the answer.
    state
        .impact
        .write(&state.storage)
        .await
        .map_err(ApiError::internal)?;
    let storage = &state.storage;
    let sheet = match table {
        "rooms" => export::rooms(
            &storage
                .room_days(&from, &to, range.room.as_deref())
                .await
                .map_err(ApiError::internal)?,
        ),
        "exhibits" => export::exhibits(
            &storage
                .exhibit_days(&from, &to)
                .await
                .map_err(ApiError::internal)?,
        ),
        "talks" => export::talks(
            &storage
                .talks(&from, &to)
                .await
                .map_err(ApiError::internal)?,
        ),
        _ => export::class_visits(
            &storage
                .class_visits(&from, &to)
                .await
                .map_err(ApiError::internal)?,
        ),
    };
    let min = if range.exact == Some(true) {
        1
    } else {
        state.impact_min_count
    };
    Ok(if format == "csv" {
        with_type("text/csv; charset=utf-8", export::to_csv(&sheet, min))
    } else {
        with_type("application/json", export::to_json(&sheet, min).to_string())
    })
}

/// The data dictionary of the exports: every column, its meaning in German and English, and
/// below which count it is left empty.
#[utoipa::path(get, path = "/api/impact/dictionary.csv", tag = "impact",
    responses((status = 200, content_type = "text/csv", body = String, description = "CSV")))]
pub async fn dictionary(State(state): State<AppState>) -> Response {
    with_type(
        "text/csv; charset=utf-8",
        export::dictionary_csv(state.impact_min_count),
    )
}

/// Comments visitors wrote with their ratings (without names), newest day first.
#[utoipa::path(get, path = "/api/impact/comments", tag = "impact", params(Range),
    responses((status = 200, body = Vec<CommentRow>)), security(("staff" = [])))]
pub async fn comments(
    State(state): State<AppState>,
    _staff: Staff,
    ApiQuery(range): ApiQuery<Range>,
) -> Result<Json<Vec<CommentRow>>, ApiError> {
    let (from, to) = range.days()?;
    Ok(Json(
        state
            .storage
            .comments(&from, &to)
            .await
            .map_err(ApiError::internal)?,
    ))
}

/// Free answers to talks' closing questions (without names), newest day first.
#[utoipa::path(get, path = "/api/impact/answers", tag = "impact", params(Range),
    responses((status = 200, body = Vec<TalkAnswerRow>)), security(("staff" = [])))]
pub async fn answers(
    State(state): State<AppState>,
    _staff: Staff,
    ApiQuery(range): ApiQuery<Range>,
) -> Result<Json<Vec<TalkAnswerRow>>, ApiError> {
    let (from, to) = range.days()?;
    Ok(Json(
        state
            .storage
            .talk_answers(&from, &to)
            .await
            .map_err(ApiError::internal)?,
    ))
}

/// The privacy page.
pub async fn privacy(State(state): State<AppState>) -> Html<String> {
    Html(privacy_page::html(state.impact_min_count))
}
