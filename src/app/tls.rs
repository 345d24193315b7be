//! The HTTPS listener the `bw` CLI needs (it refuses plain-HTTP servers): a local CA, made once
//! per data directory, and a server certificate for `localhost`, `127.0.0.1`, `::1` and the
//! names configured in `[server] tls_names` (`ORGBOX_TLS_NAMES`, e.g. a container's service
//! name). The certificate is made again, by the same CA, whenever those names change, so a
//! client that trusts `<data dir>/tls/ca.pem` (`NODE_EXTRA_CA_CERTS`) keeps trusting it.

use std::path::{Path, PathBuf};

use rcgen::{BasicConstraints, Certificate, CertificateParams, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::sandbox::layout::TLS_DIR;

/// The names every certificate carries.
const ALWAYS: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

fn io(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// Where the CA certificate lives in a data directory.
pub fn ca_path(data_dir: &Path) -> PathBuf {
    data_dir.join(TLS_DIR).join("ca.pem")
}

/// The names a certificate for `extra` carries: the loopback names, then each extra name
/// once, in order.
pub fn names(extra: &[String]) -> Vec<String> {
    let mut all: Vec<String> = ALWAYS.iter().map(|s| s.to_string()).collect();
    for name in extra.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if !all.iter().any(|a| a.eq_ignore_ascii_case(name)) {
            all.push(name.to_string());
        }
    }
    all
}

/// The files of `tls/`.
struct Files {
    dir: PathBuf,
    ca_pem: PathBuf,
    ca_key: PathBuf,
    cert: PathBuf,
    key: PathBuf,
    names: PathBuf,
}

impl Files {
    fn of(data_dir: &Path) -> Files {
        let dir = data_dir.join(TLS_DIR);
        Files {
            ca_pem: ca_path(data_dir),
            ca_key: dir.join("ca.key.der"),
            cert: dir.join("server.der"),
            key: dir.join("server.key.der"),
            names: dir.join("names.txt"),
            dir,
        }
    }

    /// The names the stored certificate was made for (a directory from before names were
    /// recorded: the loopback names).
    fn stored_names(&self) -> Option<Vec<String>> {
        if !self.cert.exists() || !self.key.exists() {
            return None;
        }
        match std::fs::read_to_string(&self.names) {
            Ok(text) => Some(text.lines().map(str::to_string).collect()),
            Err(_) => Some(names(&[])),
        }
    }
}

/// Loads (or makes, the first time or when the names changed) the certificate and key, and
/// builds the rustls config. The keys and `tls/` are owner-only, repaired at start when found
/// open (unless `allow_shared`, `[server] allow_shared_key_file`).
pub fn server_config(
    data_dir: &Path,
    allow_shared: bool,
    extra_names: &[String],
) -> std::io::Result<rustls::ServerConfig> {
    let files = Files::of(data_dir);
    if allow_shared {
        std::fs::create_dir_all(&files.dir)?;
    } else {
        crate::files::make_dir_private(&files.dir)?;
    }
    let wanted = names(extra_names);
    if files.stored_names().as_ref() != Some(&wanted) {
        issue(&files, &wanted)?;
    } else if !allow_shared {
        crate::files::repair_private(&files.key)?;
    }
    let cert = CertificateDer::from(std::fs::read(&files.cert)?);
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(std::fs::read(&files.key)?));
    rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(io)?
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .map_err(io)
}

/// The CA: its key kept in `tls/` (made, with `ca.pem`, when missing), and its certificate
/// as an issuer. A CA from before its key was kept is replaced by a new one.
fn certificate_authority(files: &Files) -> std::io::Result<(Certificate, KeyPair)> {
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(io)?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "orgbox local CA");
    if files.ca_key.exists() && files.ca_pem.exists() {
        let key = KeyPair::try_from(std::fs::read(&files.ca_key)?.as_slice()).map_err(io)?;
        // Same subject, same key: what ca.pem's holders trust signs the new certificate.
        let cert = params.self_signed(&key).map_err(io)?;
        return Ok((cert, key));
    }
    let key = KeyPair::generate().map_err(io)?;
    let cert = params.self_signed(&key).map_err(io)?;
    replace_private(&files.ca_key, &key.serialize_der())?;
    std::fs::write(&files.ca_pem, cert.pem())?;
    Ok((cert, key))
}

/// Makes a server certificate for `names`, signed by the CA, and records the names.
fn issue(files: &Files, names: &[String]) -> std::io::Result<()> {
    if let Some(bad) = names.iter().find(|n| !is_host_name(n)) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "cannot put {bad:?} in the HTTPS certificate: [server] tls_names \
                 (ORGBOX_TLS_NAMES) takes host names (letters, digits, '-', '.') and IP addresses"
            ),
        ));
    }
    let (ca_cert, ca_key) = certificate_authority(files)?;
    let key = KeyPair::generate().map_err(io)?;
    let mut params = CertificateParams::new(names.to_vec()).map_err(io)?;
    params.distinguished_name.push(DnType::CommonName, "orgbox");
    let cert = params.signed_by(&key, &ca_cert, &ca_key).map_err(io)?;
    replace_private(&files.key, &key.serialize_der())?;
    std::fs::write(&files.cert, cert.der())?;
    std::fs::write(&files.names, names.join("\n"))
}

/// A host name (`orgbox`, `*.ci.test`) or an IP address.
fn is_host_name(name: &str) -> bool {
    name.parse::<std::net::IpAddr>().is_ok()
        || crate::auth::hosts::valid_name(name.strip_prefix("*.").unwrap_or(name))
}

/// Writes a private key file anew (a key left from a half-made pair is replaced, never
/// written through).
fn replace_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if path.exists() {
        std::fs::remove_file(path)?;
    }
    crate::files::write_private(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_add_the_configured_ones_once_after_the_loopback_names() {
        assert_eq!(names(&[]), ["localhost", "127.0.0.1", "::1"]);
        let extra = [
            "orgbox".to_string(),
            " ".into(),
            "LOCALHOST".into(),
            "10.0.0.7".into(),
        ];
        assert_eq!(
            names(&extra),
            ["localhost", "127.0.0.1", "::1", "orgbox", "10.0.0.7"]
        );
    }

    #[test]
    fn new_names_give_a_new_certificate_from_the_same_ca() {
        let dir = tempfile::tempdir().unwrap();
        server_config(dir.path(), false, &[]).unwrap();
        let files = Files::of(dir.path());
        let (ca, cert) = (
            std::fs::read(&files.ca_pem).unwrap(),
            std::fs::read(&files.cert).unwrap(),
        );
        server_config(dir.path(), false, &[]).unwrap();
        assert_eq!(
            std::fs::read(&files.cert).unwrap(),
            cert,
            "same names: kept"
        );
        server_config(dir.path(), false, &["orgbox".into()]).unwrap();
        assert_ne!(
            std::fs::read(&files.cert).unwrap(),
            cert,
            "new names: new cert"
        );
        assert_eq!(std::fs::read(&files.ca_pem).unwrap(), ca, "the CA stays");
        assert_eq!(
            files.stored_names().unwrap(),
            ["localhost", "127.0.0.1", "::1", "orgbox"]
        );
        let err = server_config(dir.path(), false, &["not a name!".into()]).unwrap_err();
        assert!(err.to_string().contains("tls_names"), "{err}");
    }
}
