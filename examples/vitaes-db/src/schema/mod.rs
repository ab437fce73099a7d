pub mod app;
pub mod auth;
