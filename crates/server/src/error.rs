//! The API's one error shape, `{"error":{"code":"...","message":"..."}}`, and the one table
//! from error code to HTTP status ([`ErrorCode::status`]).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dyad_store::StoreError;

/// Every error the API answers with. The wire name is [`ErrorCode::as_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// A query parameter's value is malformed or out of range.
    InvalidParameter,
    /// A query parameter the endpoint does not know (or one given twice).
    UnknownParameter,
    /// The request body cannot be read as what the endpoint takes.
    InvalidBody,
    /// The ingest endpoint needs `Authorization: Bearer TOKEN`, and it was missing or wrong.
    Unauthorized,
    /// The server is read-only: it was started without `--token`.
    ReadOnly,
    /// No such route, event or asset.
    NotFound,
    /// The route exists but not with this method.
    MethodNotAllowed,
    /// The request body is over the limit.
    PayloadTooLarge,
    /// The query took longer than the server's query time limit.
    Timeout,
    /// Something broke on our side (a store error, a crashed worker).
    Internal,
}

impl ErrorCode {
    /// Every code, for the OpenAPI document and the tests.
    pub const ALL: [ErrorCode; 10] = [
        ErrorCode::InvalidParameter,
        ErrorCode::UnknownParameter,
        ErrorCode::InvalidBody,
        ErrorCode::Unauthorized,
        ErrorCode::ReadOnly,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::Timeout,
        ErrorCode::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidParameter => "invalid_parameter",
            ErrorCode::UnknownParameter => "unknown_parameter",
            ErrorCode::InvalidBody => "invalid_body",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::ReadOnly => "read_only",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Internal => "internal",
        }
    }

    /// The one table from error code to HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::InvalidParameter | ErrorCode::UnknownParameter | ErrorCode::InvalidBody => {
                StatusCode::BAD_REQUEST
            }
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::ReadOnly => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// An API error: a code from the table and a message for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    pub fn invalid(param: &str, message: impl std::fmt::Display) -> Self {
        ApiError::new(
            ErrorCode::InvalidParameter,
            format!("invalid `{param}`: {message}"),
        )
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::NotFound, what)
    }

    pub fn internal(message: impl std::fmt::Display) -> Self {
        ApiError::new(ErrorCode::Internal, message.to_string())
    }

    /// The JSON body.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({"error": {"code": self.code.as_str(), "message": self.message}})
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            // A value the user gave (a date, a cursor, a group key) that the store refused.
            StoreError::Invalid { .. } => ApiError::new(ErrorCode::InvalidParameter, e.to_string()),
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.code.status(), Json(self.body())).into_response();
        if self.code == ErrorCode::Unauthorized {
            res.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_distinct_name_and_an_error_status() {
        let mut names = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(names.insert(code.as_str()), "{code:?}");
            let status = code.status();
            assert!(
                status.is_client_error() || status.is_server_error(),
                "{code:?}"
            );
        }
    }

    #[test]
    fn store_errors_map_to_codes() {
        let invalid = StoreError::Invalid {
            what: "cursor",
            value: "x".into(),
            message: "garbled".into(),
        };
        assert_eq!(ApiError::from(invalid).code, ErrorCode::InvalidParameter);
        let broken = StoreError::Corrupt("bad row".into());
        let e = ApiError::from(broken);
        assert_eq!(e.code, ErrorCode::Internal);
        assert_eq!(e.code.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(e.body()["error"]["code"], "internal");
    }
}
