//! What a comparison covers beyond the objects every schema has: which
//! roles (the `[roles]` section, [`RoleScope`]) and whether comments
//! (`comments = true`). Applied to both sides wherever two schemas meet —
//! generate, push, status, check, the shadow database — so each command
//! compares the same things.

use vitaes_schema_core::Schema;

use crate::roles::RoleScope;

/// The parts of a schema that are compared only when configured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Which roles are created, altered and dropped.
    pub roles: RoleScope,
    /// Doc comments become database comments (`COMMENT ON`); off by default,
    /// as drizzle-kit keeps none, and then no comment is read, written or
    /// removed on either side.
    pub comments: bool,
}

impl Scope {
    /// Keeps of `old` (a snapshot or the database) and `new` (the code) what
    /// this scope compares.
    pub fn apply(&self, old: &mut Schema, new: &mut Schema) {
        self.roles.apply(old, new);
        if !self.comments {
            old.comments.clear();
            new.comments.clear();
        }
    }

    /// Keeps of a database read without code (`introspect`) what this scope
    /// could manage.
    pub fn shown(&self, live: &mut Schema) {
        self.roles.shown(live);
        if !self.comments {
            live.comments.clear();
        }
    }
}
