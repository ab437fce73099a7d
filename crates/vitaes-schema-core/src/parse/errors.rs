//! Collected parse errors, each at its own span.

use proc_macro2::TokenStream;

use crate::unresolved::Loc;

/// Every mistake found in one item, in source order.
#[derive(Debug, Default)]
pub struct ParseErrors {
    errors: Vec<syn::Error>,
}

impl ParseErrors {
    /// Records `error`.
    pub fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// Records an error at `span` whose message ends with a `help:` line
    /// showing the correct form.
    pub fn push_help(&mut self, span: proc_macro2::Span, message: &str, help: &str) {
        self.errors
            .push(syn::Error::new(span, format!("{message}\n  help: {help}")));
    }

    /// Records every error of `other`.
    pub fn extend(&mut self, other: ParseErrors) {
        self.errors.extend(other.errors);
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// How many errors were recorded.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// `Err(self)` when anything was recorded.
    pub fn finish<T>(self, value: T) -> Result<T, ParseErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// One `compile_error!` per mistake, for the derive.
    pub fn to_compile_errors(&self) -> TokenStream {
        self.errors
            .iter()
            .map(syn::Error::to_compile_error)
            .collect()
    }

    /// Each message with its 1-based position, for the CLI.
    pub fn located(&self) -> Vec<(Loc, String)> {
        self.errors
            .iter()
            .map(|e| (Loc::of(e.span()), e.to_string()))
            .collect()
    }
}

impl From<syn::Error> for ParseErrors {
    fn from(error: syn::Error) -> Self {
        ParseErrors {
            errors: error.into_iter().collect(),
        }
    }
}
