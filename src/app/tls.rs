//! The HTTPS listener the `bw` CLI needs (it refuses plain-HTTP servers): a local CA and a
//! server certificate for `localhost`/`127.0.0.1`/`::1`, made once per data directory with
//! rcgen. Point Node at the CA with `NODE_EXTRA_CA_CERTS=<data dir>/tls/ca.pem`.

use std::path::{Path, PathBuf};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

fn io(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// Where the CA certificate lives in a data directory.
pub fn ca_path(data_dir: &Path) -> PathBuf {
    data_dir.join("tls").join("ca.pem")
}

/// Loads (or makes, the first time) the certificate and key, and builds the rustls config.
/// The key and `tls/` are owner-only, repaired at start when found open (unless
/// `allow_shared`, `[server] allow_shared_key_file`).
pub fn server_config(data_dir: &Path, allow_shared: bool) -> std::io::Result<rustls::ServerConfig> {
    let dir = data_dir.join("tls");
    if allow_shared {
        std::fs::create_dir_all(&dir)?;
    } else {
        crate::files::make_dir_private(&dir)?;
    }
    let (cert_path, key_path) = (dir.join("server.der"), dir.join("server.key.der"));
    if !cert_path.exists() || !key_path.exists() {
        let ca_key = KeyPair::generate().map_err(io)?;
        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(io)?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "orgbox local CA");
        let ca_cert = ca.self_signed(&ca_key).map_err(io)?;
        let key = KeyPair::generate().map_err(io)?;
        let mut params = CertificateParams::new(vec!["localhost".to_string()]).map_err(io)?;
        params
            .subject_alt_names
            .push(SanType::IpAddress([127, 0, 0, 1].into()));
        params
            .subject_alt_names
            .push(SanType::IpAddress(std::net::Ipv6Addr::LOCALHOST.into()));
        params.distinguished_name.push(DnType::CommonName, "orgbox");
        let cert = params.signed_by(&key, &ca_cert, &ca_key).map_err(io)?;
        std::fs::write(ca_path(data_dir), ca_cert.pem())?;
        // A key left from a half-made pair is replaced, never written through.
        if key_path.exists() {
            std::fs::remove_file(&key_path)?;
        }
        crate::files::write_private(&key_path, &key.serialize_der())?;
        std::fs::write(&cert_path, cert.der())?;
    } else if !allow_shared {
        crate::files::repair_private(&key_path)?;
    }
    let cert = CertificateDer::from(std::fs::read(&cert_path)?);
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(std::fs::read(&key_path)?));
    rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(io)?
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .map_err(io)
}
