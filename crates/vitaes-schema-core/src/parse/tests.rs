use quote::quote;
use syn::DeriveInput;

use super::*;
use crate::model::{DefaultValue, FkAction};
use crate::unresolved::{IndexTarget, TypeSpec};

fn table(tokens: proc_macro2::TokenStream) -> Result<ParsedTable, ParseErrors> {
    parse_table(&syn::parse2::<DeriveInput>(tokens).unwrap())
}

fn messages(tokens: proc_macro2::TokenStream) -> Vec<String> {
    match table(tokens) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e.located().into_iter().map(|(_, m)| m).collect(),
    }
}

#[test]
fn parses_columns_types_and_constraints() {
    let parsed = table(quote! {
        #[table(index(name = "ix", columns(email)), unique(name = "u", columns(name, email)))]
        pub struct UserAccount {
            #[column(primary_key)] pub id: i64,
            #[column(unique, name = "e_mail")] pub email: String,
            pub name: Option<String>,
            pub tags: Option<Vec<String>>,
            pub blob: Vec<u8>,
            pub at: chrono::DateTime<chrono::Utc>,
            pub mood: Mood,
            #[column(references(Org, id), on_delete = "set null")] pub org_id: Option<i64>,
            #[column(skip)] pub cached: u128,
        }
    })
    .unwrap();
    let t = &parsed.table;
    assert_eq!(t.name, "user_account");
    assert_eq!(t.schema, "public");
    let names: Vec<_> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["id", "e_mail", "name", "tags", "blob", "at", "mood", "org_id"]
    );
    assert_eq!(t.columns[0].ty, TypeSpec::Builtin("bigint".into()));
    assert!(t.columns[0].primary_key && !t.columns[0].nullable);
    assert!(t.columns[2].nullable);
    assert_eq!(t.columns[3].ty, TypeSpec::Builtin("text[]".into()));
    assert_eq!(t.columns[4].ty, TypeSpec::Builtin("bytea".into()));
    assert_eq!(
        t.columns[5].ty,
        TypeSpec::Builtin("timestamp with time zone".into())
    );
    assert_eq!(
        t.columns[6].ty,
        TypeSpec::Enum {
            rust_name: "Mood".into(),
            dims: 0
        }
    );
    let r = t.columns[7].references.as_ref().unwrap();
    assert_eq!(
        (r.table.as_str(), r.field.as_str(), r.on_delete),
        ("Org", "id", Some(FkAction::SetNull))
    );
    assert_eq!(
        t.indexes[0].columns[0].target,
        IndexTarget::Field("email".into())
    );
    assert_eq!(t.uniques[0].fields, ["name", "email"]);
    assert_eq!(parsed.field_uses.len(), 1);
    assert_eq!(parsed.enum_types.len(), 1);
}

#[test]
fn literal_defaults() {
    let parsed = table(quote! {
        pub struct D {
            #[column(default = -5)] pub a: i32,
            #[column(default = 1.5)] pub b: f64,
            #[column(default = 2.0)] pub c: f64,
            #[column(default = "it's")] pub d: String,
            #[column(default = true)] pub e: bool,
            #[column(default_now)] pub f: chrono::NaiveDateTime,
            #[column(default_sql = "'{}'::jsonb")] pub g: serde_json::Value,
        }
    })
    .unwrap();
    let defaults: Vec<_> = parsed
        .table
        .columns
        .iter()
        .map(|c| c.default.clone().unwrap())
        .collect();
    assert_eq!(
        defaults,
        [
            DefaultValue::Int(-5),
            DefaultValue::Float(1.5),
            DefaultValue::Int(2),
            DefaultValue::Sql("'it''s'".into()),
            DefaultValue::Bool(true),
            DefaultValue::Sql("now()".into()),
            DefaultValue::Sql("'{}'::jsonb".into()),
        ]
    );
}

#[test]
fn every_mistake_is_reported_at_once() {
    let errors = messages(quote! {
        #[table(nme = "x", index(columns(nope)))]
        pub struct T {
            #[column(primary_key, colour = "red")] pub id: String,
            #[column(primary_key)] pub id2: String,
            #[column(default = true)] pub n: i32,
            #[column(on_delete = "cascade")] pub o: String,
            #[column(references(U, id), on_delete = "explode")] pub p: String,
            #[cfg(feature = "x")] pub q: String,
        }
    });
    let expect = [
        "unknown `table` key `nme`",
        "`nope` is not a field of `T`",
        "unknown `column` key `colour`",
        "declares two primary keys",
        "does not fit a column of type `integer`",
        "need `references(...)`",
        "`explode` is not a referential action",
        "`#[cfg]` and `#[cfg_attr]` are not allowed",
    ];
    for e in expect {
        assert!(
            errors.iter().any(|m| m.contains(e)),
            "missing {e:?} in {errors:#?}"
        );
    }
    assert_eq!(errors.len(), expect.len(), "{errors:#?}");
}

#[test]
fn duplicate_column_names_are_an_error() {
    let errors = messages(quote! {
        pub struct T { pub a: i32, #[column(name = "a")] pub b: i32 }
    });
    assert!(errors[0].contains("duplicate column `a`"), "{errors:?}");
}

#[test]
fn long_user_names_are_an_error() {
    let long = "n".repeat(64);
    let errors = messages(quote! { #[table(name = #long)] pub struct T { pub a: i32 } });
    assert!(errors[0].contains("64 bytes long"), "{errors:?}");
}

#[test]
fn long_derived_names_are_an_error_naming_where_to_shorten() {
    let long_struct = syn::Ident::new(
        &format!("T{}", "x".repeat(63)),
        proc_macro2::Span::call_site(),
    );
    let errors = messages(quote! { pub struct #long_struct { pub a: i32 } });
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&format!(
            "table name (from the struct `{long_struct}`) `t{}` is 64 bytes long",
            "x".repeat(63)
        )),
        "{errors:?}"
    );
    assert!(errors[0].contains("#[table(name = \"...\")]"), "{errors:?}");
    // An explicit name makes the struct's length irrelevant.
    assert!(table(quote! { #[table(name = "t")] pub struct #long_struct { pub a: i32 } }).is_ok());

    // A column name made by rename_all is as long as its field and is checked too.
    let field = syn::Ident::new(
        &format!("a_{}", "b".repeat(62)),
        proc_macro2::Span::call_site(),
    );
    let errors =
        messages(quote! { #[table(rename_all = "kebab-case")] pub struct T { pub #field: i32 } });
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("column `a-bbb"), "{errors:?}");
    assert!(
        errors[0].contains("#[column(name = \"...\")]"),
        "{errors:?}"
    );
}

#[test]
fn long_enum_names_and_labels_are_an_error() {
    let long = syn::Ident::new(
        &format!("E{}", "x".repeat(63)),
        proc_macro2::Span::call_site(),
    );
    let label = "l".repeat(64);
    let variant = syn::Ident::new(
        &format!("V{}", "v".repeat(63)),
        proc_macro2::Span::call_site(),
    );
    let errors = parse_enum(
        &syn::parse2(
            quote! { enum #long { Short, #variant, #[pg_enum(rename = #label)] Renamed } },
        )
        .unwrap(),
    )
    .unwrap_err();
    let found: Vec<String> = errors.located().into_iter().map(|(_, m)| m).collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found[0].starts_with(&format!("enum name (from the enum `{long}`)")),
        "{found:?}"
    );
    assert!(found[0].contains("#[pg_enum(name = \"...\")]"), "{found:?}");
    assert!(
        found[1].starts_with(&format!(
            "enum label `v{}` is 64 bytes long; PostgreSQL accepts labels of at most 63 bytes",
            "v".repeat(63)
        )),
        "{found:?}"
    );
    assert!(
        found[1].contains("#[pg_enum(rename = \"...\")]"),
        "{found:?}"
    );
    assert!(
        found[2].starts_with(&format!("enum label `{label}` is 64 bytes long")),
        "{found:?}"
    );
    assert!(
        found[2].contains("choose a label of at most 63 bytes"),
        "{found:?}"
    );
}

#[test]
fn literal_defaults_must_fit_their_column() {
    let errors = messages(quote! {
        pub struct T {
            #[column(default = 99999999999)] pub small: i16,
            #[column(default = "x")] pub id: uuid::Uuid,
            #[column(default = "2020-13-45")] pub day: chrono::NaiveDate,
            #[column(default = "abc")] pub data: serde_json::Value,
            #[column(default = 1)] pub flag: bool,
            #[column(default = 1)] pub mood: Mood,
            #[column(default = "sad")] pub fine: Mood,
            #[column(type = "varchar(2)", default = "abc")] pub code: String,
        }
    });
    let firsts: Vec<&str> = errors.iter().map(|m| m.lines().next().unwrap()).collect();
    assert_eq!(
        firsts,
        [
            "99999999999 does not fit a column of type `smallint`: smallint holds -32768 to 32767",
            "'x' is not a value of type `uuid`: a uuid is 32 hex digits, as in 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
            "'2020-13-45' is not a value of type `date`: there is no month 13",
            "'abc' is not a value of type `jsonb`: not valid JSON (expected value at line 1 column 1)",
            "this default does not fit a column of type `boolean`",
            "this default does not fit a column of enum type `Mood`",
            "'abc' is not a value of type `varchar(2)`: 3 characters, more than 2",
        ]
    );
}

#[test]
fn errors_carry_their_positions() {
    let src = "#[derive(Table)]\npub struct T {\n    #[column(bogus)]\n    pub a: i32,\n}\n";
    let file = syn::parse_file(src).unwrap();
    let syn::Item::Struct(s) = &file.items[0] else {
        panic!()
    };
    let errors = parse_table(&DeriveInput::from(s.clone())).err().unwrap();
    let (loc, msg) = &errors.located()[0];
    assert_eq!((loc.line, loc.column), (3, 14), "{msg}");
}

#[test]
fn pg_enum_values_are_snake_case_unless_renamed() {
    let e = parse_enum(
        &syn::parse2(quote! {
            #[pg_enum(name = "mood_kind", schema = "app")]
            enum Mood { VerySad, Ok, #[pg_enum(rename = "HAPPY")] Happy }
        })
        .unwrap(),
    )
    .unwrap();
    assert_eq!((e.name.as_str(), e.schema.as_str()), ("mood_kind", "app"));
    assert_eq!(e.values, ["very_sad", "ok", "HAPPY"]);
}

#[test]
fn has_derive_sees_bare_and_qualified_names() {
    let s: DeriveInput =
        syn::parse2(quote! { #[derive(Debug, vitaes_schema::Table)] struct T; }).unwrap();
    assert!(has_derive(&s.attrs, "Table"));
    assert!(!has_derive(&s.attrs, "PgEnum"));
}

#[test]
fn index_columns_with_order_nulls_expressions_and_options() {
    let parsed = table(quote! {
        #[table(index(
            name = "ix",
            columns(a, b desc, c desc nulls last, expr("lower(d)") nulls first, e opclass = "jsonb_path_ops"),
            method = "gin",
            where = "a > 0",
            concurrently,
            with(fillfactor = 70)
        ))]
        pub struct T { pub a: i32, pub b: i32, pub c: i32, pub d: String, pub e: serde_json::Value }
    })
    .unwrap();
    let ix = &parsed.table.indexes[0];
    let cols: Vec<_> = ix
        .columns
        .iter()
        .map(|c| (c.target.clone(), c.asc, c.nulls_first, c.opclass.clone()))
        .collect();
    assert_eq!(
        cols,
        [
            (IndexTarget::Field("a".into()), true, false, None),
            (IndexTarget::Field("b".into()), false, true, None),
            (IndexTarget::Field("c".into()), false, false, None),
            (IndexTarget::Expr("lower(d)".into()), true, true, None),
            (
                IndexTarget::Field("e".into()),
                true,
                false,
                Some("jsonb_path_ops".into())
            ),
        ]
    );
    assert_eq!(ix.method.as_deref(), Some("gin"));
    assert_eq!(ix.where_clause.as_deref(), Some("a > 0"));
    assert!(ix.concurrently);
    assert_eq!(ix.with, [("fillfactor".to_string(), serde_json::json!(70))]);
}

#[test]
fn identity_serial_generated_and_checks() {
    let parsed = table(quote! {
        #[table(check(name = "positive", expr = "n > 0"), renamed_from = "old_t")]
        pub struct T {
            #[column(identity = "always")] pub id: i64,
            #[column(serial)] pub n: i32,
            #[column(generated = "lower(name)")] pub lname: String,
            #[column(renamed_from = "nm")] pub name: String,
            #[column(generated(virtual = "n * 2"))] pub twice: i32,
            #[column(generated(stored = "n * 3"))] pub thrice: i32,
        }
    })
    .unwrap();
    let t = &parsed.table;
    assert_eq!(
        t.columns[0].identity.as_ref().map(|i| i.kind),
        Some(crate::model::IdentityKind::Always)
    );
    assert_eq!(t.columns[1].ty, TypeSpec::Builtin("serial".into()));
    use crate::model::Generated;
    assert_eq!(
        t.columns[2].generated,
        Some(Generated::stored("lower(name)"))
    );
    assert_eq!(
        t.columns[4].generated,
        Some(Generated {
            expr: "n * 2".into(),
            kind: crate::model::GeneratedKind::Virtual
        })
    );
    assert_eq!(t.columns[5].generated, Some(Generated::stored("n * 3")));
    assert_eq!(t.columns[3].renamed_from.as_deref(), Some("nm"));
    assert_eq!(t.checks[0].expr, "n > 0");
    assert_eq!(t.renamed_from.as_deref(), Some("old_t"));
}

#[test]
fn sql_fragments_are_checked_with_an_escape_hatch() {
    let errors = messages(quote! {
        #[table(check(name = "c", expr = "n >"), index(name = "i", columns(expr("lower(x"))))]
        pub struct T {
            #[column(default_sql = "now(")] pub a: String,
            #[column(generated = "1 +")] pub n: i32,
            #[column(generated(virtual = "2 *"))] pub v: i32,
            #[column(generated(later = "n"))] pub w: i32,
            #[column(identity = "always")] pub s: String,
            #[column(default_sql = unchecked("weird syntax here"))] pub ok: String,
        }
    });
    for e in [
        "invalid SQL in `expr`",
        "invalid SQL in `default_sql`",
        "invalid SQL in `generated`",
        "invalid SQL in `virtual`",
        "unknown `generated` key `later`",
        "`identity` needs an integer column",
    ] {
        assert!(
            errors.iter().any(|m| m.contains(e)),
            "missing {e:?} in {errors:#?}"
        );
    }
    assert_eq!(errors.len(), 7, "{errors:#?}");
}

#[test]
fn expression_index_needs_a_name_and_unique_needs_btree() {
    let errors = messages(quote! {
        #[table(index(columns(expr("lower(x)"))), index(name = "g", columns(x), unique, method = "gin"))]
        pub struct T { pub x: String }
    });
    assert!(
        errors[0].contains("an index on an expression needs a name"),
        "{errors:?}"
    );
    assert!(
        errors[1].contains("unique index must use the btree method"),
        "{errors:?}"
    );
}

#[test]
fn duplicate_table_keys_are_an_error() {
    let errors = messages(quote! {
        #[table(name = "a")]
        #[table(name = "b")]
        pub struct T { pub x: i32 }
    });
    assert_eq!(errors, ["duplicate `table` key `name`"]);
}

#[test]
fn identity_with_sequence_options() {
    let parsed = table(quote! {
        pub struct T {
            #[column(identity(by_default, start = 100, increment = 5, cache = 2, cycle))] pub id: i64,
            #[column(identity(increment = -1))] pub down: i32,
        }
    });
    let errors = match parsed {
        Ok(_) => panic!("identity without a kind must fail"),
        Err(e) => e.located().into_iter().map(|(_, m)| m).collect::<Vec<_>>(),
    };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("needs `always` or `by_default`"),
        "{errors:?}"
    );

    let t = table(quote! {
        pub struct T { #[column(identity(by_default, start = 100, increment = 5, cache = 2, cycle))] pub id: i64 }
    })
    .unwrap()
    .table;
    let spec = t.columns[0].identity.clone().unwrap();
    assert_eq!(spec.kind, crate::model::IdentityKind::ByDefault);
    assert_eq!(
        (
            spec.numbers.start,
            spec.numbers.increment,
            spec.numbers.cache,
            spec.numbers.cycle
        ),
        (Some(100), Some(5), Some(2), true)
    );
    let schema = crate::resolve(&[t], &[]).unwrap();
    let id = schema.tables[0].columns[0].identity.clone().unwrap();
    assert_eq!(
        (
            id.options.start_with.as_str(),
            id.options.increment.as_str(),
            id.options.min_value.as_str(),
            id.options.max_value.as_str(),
            id.options.cache.as_str()
        ),
        ("100", "5", "1", "9223372036854775807", "2")
    );
}

#[test]
fn rename_all_respells_the_columns_named_by_their_field() {
    let parsed = table(quote! {
        #[table(rename_all = "camelCase", unique(columns(workspace_id, created_by)))]
        pub struct Member {
            #[column(primary_key)] pub id: i64,
            pub workspace_id: i64,
            #[column(name = "created_by_user")] pub created_by: i64,
            pub created_at: chrono::NaiveDateTime,
        }
    })
    .unwrap();
    let names: Vec<_> = parsed
        .table
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["id", "workspaceId", "created_by_user", "createdAt"]);
    // Fields stay the names other attributes use.
    assert_eq!(parsed.table.columns[1].field, "workspace_id");

    // The project default applies unless the struct says otherwise.
    let input: DeriveInput = syn::parse2(quote! {
        pub struct Board { pub public_id: String }
    })
    .unwrap();
    let parsed = parse_table_with(&input, Some(crate::naming::RenameRule::Camel)).unwrap();
    assert_eq!(parsed.table.columns[0].name, "publicId");
    let input: DeriveInput = syn::parse2(quote! {
        #[table(rename_all = "snake_case")]
        pub struct Board { pub public_id: String }
    })
    .unwrap();
    let parsed = parse_table_with(&input, Some(crate::naming::RenameRule::Camel)).unwrap();
    assert_eq!(parsed.table.columns[0].name, "public_id");
}

#[test]
fn rename_all_mistakes_are_named() {
    let errors = messages(quote! {
        #[table(rename_all = "camelcase")]
        pub struct A { pub a_b: i64 }
    });
    assert!(
        errors[0].contains("`camelcase` is not a rename_all rule"),
        "{errors:?}"
    );
    assert!(errors[0].contains("camelCase"), "{errors:?}");
    let errors = messages(quote! {
        #[table(rename_all = "camelCase")]
        pub struct A { pub user_id: i64, #[column(name = "userId")] pub other: i64 }
    });
    assert!(
        errors[0].contains("duplicate column `userId`"),
        "{errors:?}"
    );
}

#[test]
fn rls_and_policies_with_drizzle_kits_defaults() {
    use crate::model::{PolicyCommand, PolicyKind};
    let parsed = table(quote! {
        #[table(
            rls,
            policy(name = "read", for = "select", to("authenticated", "anon"), using = "owner = current_user"),
            policy(name = "write", as = "restrictive", for = "INSERT", with_check = unchecked("id > 0")),
            policy(name = "all")
        )]
        pub struct Notes { pub id: i32, pub owner: String }
    })
    .unwrap();
    let t = &parsed.table;
    assert!(t.rls);
    let [read, write, all] = t.policies.as_slice() else {
        panic!("{:?}", t.policies)
    };
    assert_eq!(
        (read.kind, read.command, read.to.as_slice()),
        (
            PolicyKind::Permissive,
            PolicyCommand::Select,
            &["anon".to_string(), "authenticated".to_string()][..]
        )
    );
    assert_eq!(read.using.as_deref(), Some("owner = current_user"));
    assert_eq!(
        (write.kind, write.command),
        (PolicyKind::Restrictive, PolicyCommand::Insert)
    );
    assert_eq!(write.with_check.as_deref(), Some("id > 0"));
    assert_eq!(
        (all.command, all.to.as_slice(), &all.using),
        (PolicyCommand::All, &["public".to_string()][..], &None)
    );
}

#[test]
fn policy_mistakes_are_named() {
    let errors = messages(quote! {
        #[table(
            policy(name = "p", as = "lenient", for = "upsert", using = "owner ="),
            policy(name = "p"),
            policy(for = "select"),
            policy(name = "q", roles("x"))
        )]
        pub struct Notes { pub id: i32 }
    });
    let all = errors.join("\n");
    for needle in [
        "`lenient` is not a policy kind",
        "`upsert` is not a policy command",
        "invalid SQL in `using`",
        "duplicate policy `p`",
        "a policy needs a name",
        "unknown `policy` key `roles`",
    ] {
        assert!(all.contains(needle), "{needle} missing from:\n{all}");
    }
}

fn role(tokens: proc_macro2::TokenStream) -> Result<crate::UnresolvedRole, ParseErrors> {
    parse_role(&syn::parse2::<DeriveInput>(tokens).unwrap())
}

#[test]
fn a_role_takes_drizzle_kits_attributes_and_defaults() {
    let r = role(quote! {
        #[pg_role(name = "admin", create_db, create_role, inherit = false)]
        pub struct Admin;
    })
    .unwrap();
    assert_eq!(r.rust_name, "Admin");
    assert_eq!(
        (
            r.role.name.as_str(),
            r.role.create_db,
            r.role.create_role,
            r.role.inherit
        ),
        ("admin", true, true, false)
    );
    assert!(!r.role.existing);
    let plain = role(quote! { pub struct ServiceRole; }).unwrap().role;
    assert_eq!(plain, crate::RoleDef::new("service_role"));
    let existing = role(quote! { #[pg_role(name = "anon", existing)] pub struct Anon; })
        .unwrap()
        .role;
    assert!(existing.existing);
}

#[test]
fn a_role_reports_unknown_keys_and_non_unit_structs() {
    let e = role(quote! {
        #[pg_role(name = "a", superuser)]
        pub struct A { x: i32 }
    })
    .unwrap_err();
    let messages: Vec<String> = e.located().into_iter().map(|(_, m)| m).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("unknown `pg_role` key `superuser`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("unit struct")),
        "{messages:?}"
    );
}

#[test]
fn rls_force_implies_rls_and_other_keys_are_named() {
    let parsed = table(quote! {
        #[table(rls(force))]
        pub struct Notes { pub id: i32 }
    })
    .unwrap();
    assert!(parsed.table.rls && parsed.table.force_rls);
    let plain = table(quote! {
        #[table(rls)]
        pub struct Notes { pub id: i32 }
    })
    .unwrap();
    assert!(plain.table.rls && !plain.table.force_rls);
    let errors = messages(quote! {
        #[table(rls(strict))]
        pub struct Notes { pub id: i32 }
    });
    assert!(
        errors
            .iter()
            .any(|e| e.contains("unknown `rls` key `strict`")),
        "{errors:?}"
    );
}

#[test]
fn a_policy_takes_a_rename_hint() {
    let parsed = table(quote! {
        #[table(
            policy(name = "owners_read", for = "select", using = "true", renamed_from = "read"),
            policy(name = "write")
        )]
        pub struct Notes { pub id: i32 }
    })
    .unwrap();
    let [read, write] = parsed.table.policies.as_slice() else {
        panic!("{:?}", parsed.table.policies)
    };
    assert_eq!(read.name, "owners_read");
    assert_eq!(read.renamed_from.as_deref(), Some("read"));
    assert_eq!(write.renamed_from, None);
    let errors = messages(quote! {
        #[table(policy(name = "p", renamed = "q"))]
        pub struct Notes { pub id: i32 }
    });
    let all = errors.join("\n");
    assert!(
        all.contains("unknown `policy` key `renamed`") && all.contains("with_check, renamed_from"),
        "{all}"
    );
}

fn extension(tokens: proc_macro2::TokenStream) -> Result<crate::UnresolvedExtension, ParseErrors> {
    parse_extension(&syn::parse2::<DeriveInput>(tokens).unwrap())
}

#[test]
fn an_extension_takes_its_name_schema_and_version() {
    let e = extension(quote! {
        #[pg_extension(name = "uuid-ossp", schema = "extensions", version = "1.1")]
        pub struct UuidOssp;
    })
    .unwrap();
    assert_eq!(
        e.extension,
        crate::ExtensionDef {
            name: "uuid-ossp".into(),
            schema: Some("extensions".into()),
            version: Some("1.1".into()),
        }
    );
    let plain = extension(quote! { #[derive(PgExtension)] pub struct PgTrgm; }).unwrap();
    assert_eq!(
        (
            plain.extension.name.as_str(),
            plain.extension.schema,
            plain.extension.version
        ),
        ("pg_trgm", None, None)
    );
    let bad = extension(quote! {
        #[pg_extension(cascade, version = "")]
        pub struct Vector { pub x: i32 }
    })
    .unwrap_err()
    .located()
    .into_iter()
    .map(|(_, m)| m)
    .collect::<Vec<_>>()
    .join("\n");
    for needle in [
        "unknown `pg_extension` key `cascade`",
        "version is not empty",
        "derived for a unit struct",
    ] {
        assert!(bad.contains(needle), "{needle} missing from:\n{bad}");
    }
}
