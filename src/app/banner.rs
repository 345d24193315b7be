//! The start-up banner: where the server listens, the data directory, the control plane's
//! guard, the demo worlds and ready-to-paste first calls. Its last line is
//! `listening on http://HOST:PORT`, which scripts and tests wait for.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::app::Application;

/// The address a client on this machine dials for `addr`: a wildcard listener
/// (`0.0.0.0`, `[::]`) is reached on loopback.
pub fn dialable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), addr.port())
        }
        _ => addr,
    }
}

impl Application {
    /// Prints where the server listens and how to log in; the last line is
    /// `listening on http://HOST:PORT`.
    pub fn print_banner(&self) {
        let base = format!("http://{}", dialable(self.address));
        let otp = self.config.auth.otps.join(" or ");
        println!("orgbox {} — BitGo sandbox", env!("CARGO_PKG_VERSION"));
        println!("  base URL       {base}   (SDK: new BitGoAPI({{ env: 'custom', customRootURI: '{base}' }}))");
        match self.tls_address {
            Some(tls) => println!(
                "  HTTPS          https://{}   (for bw; CA {})",
                dialable(tls),
                crate::app::tls::ca_path(&self.config.server.data_dir).display()
            ),
            None => println!("  HTTPS          off (--tls-listen off); the bw CLI needs it"),
        }
        println!("  data directory {}", self.config.server.data_dir.display());
        println!(
            "  control plane  {base}/sandbox/ {}",
            self.state.control.describe()
        );
        self.print_bitgo_world(&base, &otp);
        self.print_bitwarden_banner();
        if self.state.control.enabled {
            println!("console          {base}/console/");
        }
        println!("listening on http://{}", self.address);
    }

    fn print_bitgo_world(&self, base: &str, otp: &str) {
        println!(
            "  organization   {} ({})",
            self.demo.name, self.demo.organization_id
        );
        println!(
            "  enterprise     {} ({})",
            self.demo.name, self.demo.enterprise_id
        );
        println!(
            "  demo users (password {:?}, OTP {otp}):",
            self.config.demo.password
        );
        for u in &self.demo.users {
            println!("    {:<36} {} ({})", u.email, u.roles, u.id);
        }
        for c in &self.demo.children {
            println!(
                "  child enterprise {} ({}), KYC approved (identity {})",
                c.name, c.enterprise_id, c.identity_id
            );
            println!(
                "    {:<36} end user: organization customer, child enterprise admin ({})",
                c.email, c.user_id
            );
            println!(
                "    Go Account {} (funded: 1,000,000 USD, 10 BTC; the service user trades and withdraws, the organization admin is refused)",
                c.go_account_id
            );
            println!(
                "      its user key: encrypted with the demo password (wallet.send({{ walletPassphrase }})), or as xprv: {}",
                c.go_account_xprv
            );
        }
        if let Some(first) = self.demo.users.first() {
            println!("  log in:");
            println!(
                "    curl -s -X POST {base}/api/v2/user/login -H 'Content-Type: application/json' \\\n      -d '{{\"email\":\"{}\",\"password\":\"{}\",\"otp\":\"{}\"}}'",
                first.email,
                self.config.demo.password,
                self.config.auth.otps.first().map_or("000000", String::as_str)
            );
        }
    }

    fn print_bitwarden_banner(&self) {
        let bw = &self.bitwarden;
        let deployment = match self.config.bitwarden.deployment {
            crate::config::bitwarden::Deployment::Cloud => "cloud",
            crate::config::bitwarden::Deployment::SelfHosted => "self-hosted",
        };
        println!("Bitwarden sandbox ({deployment})");
        if let Some(id) = &bw.organization_id {
            println!("  organization   {} ({id})", bw.organization);
        }
        println!("  installation   {}", bw.installation_id);
        for (u, cfg) in bw.users.iter().zip(&self.config.bitwarden.users) {
            println!(
                "    {:<28} {:<7} master password {:?}  API key user.{} / {}",
                u.email,
                u.role.as_deref().unwrap_or("-"),
                cfg.master_password,
                u.id,
                u.api_key
            );
        }
        let Some(tls) = self.tls_address else {
            println!("  bw CLI: needs the HTTPS listener, which is off (--tls-listen off)");
            return;
        };
        let ca = crate::app::tls::ca_path(&self.config.server.data_dir);
        println!("  bw CLI (HTTPS only; trust the sandbox CA):");
        println!(
            "    export NODE_EXTRA_CA_CERTS={} && bw config server https://{}",
            ca.display(),
            dialable(tls)
        );
        if let Some(first) = self.config.bitwarden.users.first() {
            println!(
                "    export BW_SESSION=$(bw login {} '{}' --raw)",
                first.email, first.master_password
            );
        }
    }
}
