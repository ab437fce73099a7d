//! TLS for PostgreSQL connections: rustls with the ring provider, verifying
//! the way libpq's `sslmode` says.
//!
//! - `prefer` / `require` without `sslrootcert`: encrypt, verify nothing
//!   (libpq does the same when it has no root certificate).
//! - `prefer` / `require` with `sslrootcert`, and `verify-ca`: the chain must
//!   lead to a certificate in `sslrootcert`; any host name is fine.
//! - `verify-full`: the chain as above, and the certificate must name the
//!   host in the URL (DNS or IP subjectAltName; the CN only when the
//!   certificate has no such names, as libpq).
//!
//! PostgreSQL's documented quick set-up (`openssl req -new -x509 ... -out
//! server.crt`, then `server.crt` as the client's `sslrootcert`) makes a
//! self-signed certificate with `CA:TRUE`, which webpki refuses as an end
//! entity ("CA used as end entity"). OpenSSL accepts it because the
//! presented certificate *is* a trusted one, so we do too: a server
//! certificate byte-identical to one in `sslrootcert` is trusted as it is,
//! with only its validity period and (for `verify-full`) its names checked.
//!
//! Verification failures are reported as [`CertFailure`] inside the rustls
//! error, so [`super::errors`] can say exactly which check failed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{verify_server_cert_signed_by_trust_anchor, verify_server_name};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, OtherError, RootCertStore};
use tokio_postgres_rustls::MakeRustlsConnect;
use x509_cert::der::asn1::{Ia5StringRef, PrintableStringRef, Utf8StringRef};
use x509_cert::der::oid::db::rfc4519::CN;
use x509_cert::der::Decode;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::Certificate;

use super::errors::{CertCheck, CertFailure, ConnectError};
use super::url::{ConnectUrl, SslMode};

impl From<CertFailure> for rustls::Error {
    fn from(failure: CertFailure) -> Self {
        rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(failure))))
    }
}

/// The TLS connector for `url`: reads `sslrootcert` (and a client
/// certificate, if given) now, so a missing file is reported before any
/// network traffic.
pub(crate) fn make_connector(url: &ConnectUrl) -> Result<MakeRustlsConnect, ConnectError> {
    let files_error = |reason: String| ConnectError::TlsFiles {
        url: url.masked().to_owned(),
        reason,
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let algs = provider.signature_verification_algorithms;
    let verifier: Arc<dyn ServerCertVerifier> = match (url.sslmode, &url.sslrootcert) {
        (SslMode::Disable, _) | (SslMode::Prefer | SslMode::Require, None) => {
            Arc::new(EncryptOnly { algs })
        }
        (SslMode::VerifyCa | SslMode::VerifyFull, None) => {
            return Err(files_error(format!(
                "sslmode={} needs sslrootcert=FILE, the CA certificate (PEM) to verify the \
                 server against",
                url.sslmode
            )))
        }
        (mode, Some(path)) => Arc::new(
            AnchoredVerifier::load(path, mode == SslMode::VerifyFull, algs).map_err(files_error)?,
        ),
    };
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| files_error(format!("TLS set-up: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let config = match (&url.sslcert, &url.sslkey) {
        (None, None) => builder.with_no_client_auth(),
        (Some(cert), Some(key)) => {
            let (chain, key) = load_client_identity(cert, key).map_err(files_error)?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| files_error(format!("sslcert/sslkey: {e}")))?
        }
        _ => {
            return Err(files_error(
                "sslcert and sslkey go together: give both or neither".to_owned(),
            ))
        }
    };
    Ok(MakeRustlsConnect::new(config))
}

/// Every certificate in a PEM file; an error names the file and says why.
fn read_certificates(path: &Path, what: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read {what} {}: {e}", path.display()))?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            format!(
                "{what} {}: not a PEM certificate file ({e})",
                path.display()
            )
        })?;
    if certs.is_empty() {
        return Err(format!(
            "{what} {}: no `-----BEGIN CERTIFICATE-----` block in it",
            path.display()
        ));
    }
    Ok(certs)
}

fn load_client_identity(
    cert: &Path,
    key: &Path,
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), String> {
    let chain = read_certificates(cert, "sslcert")?;
    let key_der =
        PrivateKeyDer::from_pem_file(key).map_err(|e| format!("sslkey {}: {e}", key.display()))?;
    Ok((chain, key_der))
}

/// `prefer`/`require` without a root certificate: the handshake's
/// signatures are still checked (so the session key belongs to whoever
/// holds the certificate's key), the certificate itself is not.
#[derive(Debug)]
struct EncryptOnly {
    algs: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algs)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algs)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algs.supported_schemes()
    }
}

/// Verification against `sslrootcert` (see the module docs).
#[derive(Debug)]
struct AnchoredVerifier {
    path: PathBuf,
    /// The certificates in `sslrootcert`, for the self-signed case.
    anchors: Vec<CertificateDer<'static>>,
    roots: RootCertStore,
    check_host: bool,
    algs: WebPkiSupportedAlgorithms,
}

impl AnchoredVerifier {
    fn load(
        path: &Path,
        check_host: bool,
        algs: WebPkiSupportedAlgorithms,
    ) -> Result<Self, String> {
        let anchors = read_certificates(path, "sslrootcert")?;
        let mut roots = RootCertStore::empty();
        for cert in &anchors {
            roots.add(cert.clone()).map_err(|e| {
                format!("sslrootcert {}: unusable certificate ({e})", path.display())
            })?;
        }
        Ok(Self {
            path: path.to_owned(),
            anchors,
            roots,
            check_host,
            algs,
        })
    }

    fn check_chain(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<(), CertFailure> {
        if self
            .anchors
            .iter()
            .any(|a| a.as_ref() == end_entity.as_ref())
        {
            // Trusted as it is (PostgreSQL's self-signed set-up).
            return check_validity(end_entity, now);
        }
        let parsed = ParsedCertificate::try_from(end_entity).map_err(|e| CertFailure {
            check: CertCheck::Chain,
            detail: format!("the server's certificate cannot be parsed ({e})"),
        })?;
        verify_server_cert_signed_by_trust_anchor(
            &parsed,
            &self.roots,
            intermediates,
            now,
            self.algs.all,
        )
        .map_err(|e| self.chain_failure(e, end_entity))
    }

    fn chain_failure(&self, err: rustls::Error, end_entity: &CertificateDer<'_>) -> CertFailure {
        use CertificateError as E;
        let path = self.path.display();
        let (check, detail) = match err {
            rustls::Error::InvalidCertificate(E::Expired | E::ExpiredContext { .. }) => (
                CertCheck::Validity,
                "the server's certificate has expired".to_owned(),
            ),
            rustls::Error::InvalidCertificate(E::NotValidYet | E::NotValidYetContext { .. }) => (
                CertCheck::Validity,
                "the server's certificate is not valid yet".to_owned(),
            ),
            // webpki reports a self-signed `CA:TRUE` certificate that is not
            // in the roots as "CA used as end entity", before it would say
            // "unknown issuer"; both mean the chain leads nowhere we trust.
            other => {
                let parsed = Certificate::from_der(end_entity).ok();
                let tbs = parsed.as_ref().map(|c| &c.tbs_certificate);
                let detail = match (tbs, &other) {
                    (Some(t), _) if t.issuer == t.subject => format!(
                        "the server's certificate is self-signed ({}) and is not one of the \
                         certificates in sslrootcert {path}",
                        t.subject
                    ),
                    (Some(t), rustls::Error::InvalidCertificate(E::UnknownIssuer)) => format!(
                        "the server's certificate (issued by {}) does not chain to a \
                         certificate in sslrootcert {path}",
                        t.issuer
                    ),
                    (_, rustls::Error::InvalidCertificate(E::UnknownIssuer)) => format!(
                        "the server's certificate does not chain to a certificate in \
                         sslrootcert {path}"
                    ),
                    _ => format!(
                        "checking the server's certificate against sslrootcert {path}: {other}"
                    ),
                };
                (CertCheck::Chain, detail)
            }
        };
        CertFailure { check, detail }
    }
}

impl ServerCertVerifier for AnchoredVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.check_chain(end_entity, intermediates, now)?;
        if self.check_host {
            check_host_name(end_entity, server_name)?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algs)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algs)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algs.supported_schemes()
    }
}

/// notBefore <= now <= notAfter, for a certificate trusted without a chain.
fn check_validity(cert: &CertificateDer<'_>, now: UnixTime) -> Result<(), CertFailure> {
    let parsed = Certificate::from_der(cert).map_err(|e| CertFailure {
        check: CertCheck::Validity,
        detail: format!("the server's certificate cannot be parsed ({e})"),
    })?;
    let validity = &parsed.tbs_certificate.validity;
    let now = now.as_secs();
    if now < validity.not_before.to_unix_duration().as_secs() {
        return Err(CertFailure {
            check: CertCheck::Validity,
            detail: format!(
                "the server's certificate is not valid before {}",
                validity.not_before
            ),
        });
    }
    if now > validity.not_after.to_unix_duration().as_secs() {
        return Err(CertFailure {
            check: CertCheck::Validity,
            detail: format!("the server's certificate expired at {}", validity.not_after),
        });
    }
    Ok(())
}

/// `verify-full`'s name check: webpki's subjectAltName match, else, for a
/// certificate without DNS/IP subjectAltNames, its CN (as libpq).
fn check_host_name(
    cert: &CertificateDer<'_>,
    server_name: &ServerName<'_>,
) -> Result<(), CertFailure> {
    let host = server_name.to_str().into_owned();
    if let Ok(parsed) = ParsedCertificate::try_from(cert) {
        if verify_server_name(&parsed, server_name).is_ok() {
            return Ok(());
        }
    }
    let names = CertNames::read(cert);
    if names.alt_names.is_empty() && names.common_names.iter().any(|cn| name_matches(cn, &host)) {
        return Ok(());
    }
    Err(CertFailure {
        check: CertCheck::HostName,
        detail: format!(
            "the server's certificate is for {}, not for `{host}` (connect with a host name \
             the certificate names, or use sslmode=verify-ca)",
            names.describe()
        ),
    })
}

/// The names a certificate is for.
#[derive(Debug, Default)]
struct CertNames {
    /// DNS and IP subjectAltNames.
    alt_names: Vec<String>,
    common_names: Vec<String>,
}

impl CertNames {
    fn read(der: &CertificateDer<'_>) -> Self {
        let Ok(cert) = Certificate::from_der(der) else {
            return Self::default();
        };
        let tbs = &cert.tbs_certificate;
        let alt_names = match tbs.get::<SubjectAltName>() {
            Ok(Some((_, SubjectAltName(names)))) => names
                .iter()
                .filter_map(|n| match n {
                    GeneralName::DnsName(d) => Some(d.to_string()),
                    GeneralName::IpAddress(ip) => ip_text(ip.as_bytes()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let common_names = tbs
            .subject
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .filter(|atv| atv.oid == CN)
            .filter_map(|atv| {
                let v = &atv.value;
                v.decode_as::<Utf8StringRef<'_>>()
                    .map(|s| s.as_str().to_owned())
                    .or_else(|_| {
                        v.decode_as::<PrintableStringRef<'_>>()
                            .map(|s| s.as_str().to_owned())
                    })
                    .or_else(|_| {
                        v.decode_as::<Ia5StringRef<'_>>()
                            .map(|s| s.as_str().to_owned())
                    })
                    .ok()
            })
            .collect();
        Self {
            alt_names,
            common_names,
        }
    }

    fn describe(&self) -> String {
        let quoted = |names: &[String]| {
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (self.alt_names.is_empty(), self.common_names.is_empty()) {
            (false, _) => quoted(&self.alt_names),
            (true, false) => format!(
                "CN {} (it has no subjectAltName)",
                quoted(&self.common_names)
            ),
            (true, true) => "no host name at all".to_owned(),
        }
    }
}

fn ip_text(bytes: &[u8]) -> Option<String> {
    match bytes.len() {
        4 => Some(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(bytes).ok()?).to_string()),
        16 => Some(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(bytes).ok()?).to_string()),
        _ => None,
    }
}

/// libpq's CN match: case-insensitive, a leading `*.` standing for exactly
/// one label.
fn name_matches(pattern: &str, host: &str) -> bool {
    let (pattern, host) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => pattern == host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cn_wildcards_cover_one_label() {
        assert!(name_matches("db.example.com", "DB.example.com"));
        assert!(name_matches("*.example.com", "db.example.com"));
        assert!(!name_matches("*.example.com", "a.db.example.com"));
        assert!(!name_matches("*.example.com", "example.com"));
        assert!(!name_matches("localhost", "127.0.0.1"));
    }

    /// A root file with `certs` and a verifier over it; the file lives as
    /// long as the returned dir.
    fn verifier(
        certs: &[&rcgen::Certificate],
        check_host: bool,
    ) -> (tempfile::TempDir, AnchoredVerifier) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("root.crt");
        let pem: String = certs.iter().map(|c| c.pem()).collect();
        std::fs::write(&path, pem).unwrap();
        let algs = rustls::crypto::ring::default_provider().signature_verification_algorithms;
        let v = AnchoredVerifier::load(&path, check_host, algs).unwrap();
        (dir, v)
    }

    fn verify(
        v: &AnchoredVerifier,
        cert: &rcgen::Certificate,
        host: &str,
    ) -> Result<(), CertFailure> {
        let name = ServerName::try_from(host.to_owned()).unwrap();
        v.verify_server_cert(cert.der(), &[], &name, &[], UnixTime::now())
            .map(drop)
            .map_err(|e| match e {
                rustls::Error::InvalidCertificate(CertificateError::Other(o)) => {
                    o.0.downcast_ref::<CertFailure>().unwrap().clone()
                }
                other => panic!("{other:?}"),
            })
    }

    fn params(sans: &[&str], cn: &str, ca: bool) -> rcgen::CertificateParams {
        let mut p =
            rcgen::CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .unwrap();
        p.distinguished_name = rcgen::DistinguishedName::new();
        p.distinguished_name.push(rcgen::DnType::CommonName, cn);
        if ca {
            p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        }
        p
    }

    #[test]
    fn expired_certificates_fail_the_validity_check() {
        let past = rcgen::date_time_ymd(2001, 1, 1);
        // Trusted as is (self-signed, in the roots).
        let key = rcgen::KeyPair::generate().unwrap();
        let mut p = params(&[], "localhost", true);
        p.not_after = past;
        let old_self_signed = p.self_signed(&key).unwrap();
        let (_dir, v) = verifier(&[&old_self_signed], true);
        let err = verify(&v, &old_self_signed, "localhost").unwrap_err();
        assert_eq!(err.check, CertCheck::Validity, "{err}");
        assert!(err.detail.contains("expired"), "{err}");
        // Through a chain.
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let ca_params = params(&[], "test CA", true);
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let ca = rcgen::Issuer::new(ca_params, ca_key);
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let mut leaf = params(&["localhost"], "server", false);
        leaf.not_after = past;
        let old_leaf = leaf.signed_by(&leaf_key, &ca).unwrap();
        let (_dir, v) = verifier(&[&ca_cert], true);
        let err = verify(&v, &old_leaf, "localhost").unwrap_err();
        assert_eq!(err.check, CertCheck::Validity, "{err}");
        // And a fresh leaf from the same CA passes, by name or not at all.
        let fresh = params(&["localhost", "127.0.0.1"], "server", false)
            .signed_by(&leaf_key, &ca)
            .unwrap();
        assert!(verify(&v, &fresh, "localhost").is_ok());
        assert!(verify(&v, &fresh, "127.0.0.1").is_ok());
        assert_eq!(
            verify(&v, &fresh, "db.example.test").unwrap_err().check,
            CertCheck::HostName
        );
        let (_dir, ca_only) = verifier(&[&ca_cert], false);
        assert!(verify(&ca_only, &fresh, "db.example.test").is_ok());
    }

    #[test]
    fn a_cn_only_counts_without_subject_alt_names() {
        let key = rcgen::KeyPair::generate().unwrap();
        let wildcard = params(&[], "*.example.test", true)
            .self_signed(&key)
            .unwrap();
        let (_dir, v) = verifier(&[&wildcard], true);
        assert!(verify(&v, &wildcard, "db.example.test").is_ok());
        let err = verify(&v, &wildcard, "example.test").unwrap_err();
        assert!(err.detail.contains("CN `*.example.test`"), "{err}");
        // With a subjectAltName the CN is ignored, as libpq.
        let both = params(&["other.test"], "db.example.test", true)
            .self_signed(&key)
            .unwrap();
        let (_dir, v) = verifier(&[&both], true);
        let err = verify(&v, &both, "db.example.test").unwrap_err();
        assert!(err.detail.contains("`other.test`"), "{err}");
    }

    #[test]
    fn ip_names_print_like_addresses() {
        assert_eq!(ip_text(&[127, 0, 0, 1]).as_deref(), Some("127.0.0.1"));
        let mut v6 = [0u8; 16];
        v6[15] = 1;
        assert_eq!(ip_text(&v6).as_deref(), Some("::1"));
        assert_eq!(ip_text(&[1, 2]), None);
    }
}
