//! Secrets at rest: tokens only as hashes and sealed copies, passwords as salted PBKDF2, and
//! the server key outside the database; the sandbox survives a restart on the same data.

use std::path::Path;

use orgbox::auth::password::sdk_form;
use serde_json::json;

use crate::helpers::*;

fn every_file(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            every_file(&path, out);
        } else {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[actix_web::test]
async fn raw_tokens_and_passwords_appear_nowhere_in_the_data_directory() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let created = app.create_token(&login, &["profile"], json!({})).await;
    let api_token = created["token"].as_str().unwrap().to_string();
    // Use both tokens signed, so the sealed copies are read back.
    app.get("/api/v2/user/me", Auth::V2(api_token.clone()))
        .await
        .ok();
    app.get("/api/v2/user/me", Auth::V3(login.clone()))
        .await
        .ok();

    let mut files = Vec::new();
    every_file(app.dir.path(), &mut files);
    assert!(files.iter().any(|(p, _)| p.ends_with("orgbox.sqlite")));
    for secret in [
        login.as_str(),
        &login[3..],
        api_token.as_str(),
        &api_token[3..],
        PASSWORD,
        &sdk_form(BRENNAN, PASSWORD),
    ] {
        for (path, bytes) in &files {
            assert!(
                !contains(bytes, secret.as_bytes()),
                "a secret is stored in {path}"
            );
        }
    }
}

#[actix_web::test]
async fn tokens_stay_valid_across_a_restart_and_the_demo_world_is_not_reseeded() {
    let app = spawn_app().await;
    let login = app.login(BRENNAN).await;
    let token = app.create_token(&login, &["profile"], json!({})).await["token"]
        .as_str()
        .unwrap()
        .to_string();
    let first_demo = app.demo.clone();
    let dir = app.stop().await;
    let again = spawn_app_in(dir, |_| {}).await;
    assert_eq!(again.demo.organization_id, first_demo.organization_id);
    again
        .get("/api/v2/user/me", Auth::V2(token.clone()))
        .await
        .ok();
    again.get("/api/v2/user/me", Auth::Raw(token)).await.ok();
    let users = again.count("SELECT count(*) FROM users");
    assert_eq!(
        users, 4,
        "three demo users and the child enterprise's end user"
    );
}

#[actix_web::test]
async fn passwords_are_stored_as_salted_pbkdf2() {
    let app = spawn_app().await;
    let hashes = app.texts("SELECT password_hash FROM users");
    assert_eq!(hashes.len(), 4, "three demo users and the child's end user");
    for h in &hashes {
        assert!(h.starts_with("pbkdf2-sha256$1000$"), "{h}");
    }
    assert_ne!(
        hashes[0].split('$').nth(2),
        hashes[1].split('$').nth(2),
        "salts differ"
    );
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[actix_web::test]
async fn the_data_directory_and_its_files_are_private() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("fresh/data");
    let app = spawn_app_with(|c| c.server.data_dir = data.clone()).await;
    // A write, so the WAL and shared-memory files exist.
    app.login(BRENNAN).await;
    assert_eq!(mode(&data), 0o700);
    for file in [
        "orgbox.sqlite",
        "orgbox.sqlite-wal",
        "orgbox.sqlite-shm",
        "server.key",
    ] {
        let path = data.join(file);
        assert!(path.exists(), "{file} exists");
        assert_eq!(mode(&path), 0o600, "{file}");
    }
}

#[cfg(unix)]
#[actix_web::test]
async fn a_server_key_others_can_read_stops_the_start_unless_allowed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    drop(
        orgbox::app::Application::build(config.clone())
            .await
            .unwrap(),
    );
    let key = dir.path().join("server.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = match orgbox::app::Application::build(config.clone()).await {
        Ok(_) => panic!("a world-readable server.key was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.contains("server.key") && err.contains("chmod 600"),
        "{err}"
    );
    let mut allowed = config;
    allowed.server.allow_shared_key_file = true;
    assert!(orgbox::app::Application::build(allowed).await.is_ok());
}

#[cfg(unix)]
#[actix_web::test]
async fn an_existing_database_file_is_made_private_at_start() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    drop(
        orgbox::app::Application::build(config.clone())
            .await
            .unwrap(),
    );
    let db = dir.path().join("orgbox.sqlite");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(orgbox::app::Application::build(config).await.unwrap());
    assert_eq!(mode(&db), 0o600);
}

#[cfg(unix)]
#[actix_web::test]
async fn the_tls_key_and_its_directory_are_private_in_a_data_directory_that_existed() {
    use std::os::unix::fs::PermissionsExt;
    let set = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
    let dir = tempfile::tempdir().unwrap();
    // A data directory its owner made with mkdir (0755) before the first start.
    set(dir.path(), 0o755).unwrap();
    let mut config = test_config(dir.path());
    config.server.tls_listen =
        orgbox::config::listen::TlsListen::At("127.0.0.1:0".parse().unwrap());
    drop(
        orgbox::app::Application::build(config.clone())
            .await
            .unwrap(),
    );
    let tls = dir.path().join("tls");
    let key = tls.join("server.key.der");
    assert_eq!(mode(&tls), 0o700);
    assert_eq!(mode(&key), 0o600);
    // Left open (by an older orgbox): repaired at the next start, with the same key.
    let before = std::fs::read(&key).unwrap();
    set(&tls, 0o755).unwrap();
    set(&key, 0o644).unwrap();
    drop(
        orgbox::app::Application::build(config.clone())
            .await
            .unwrap(),
    );
    assert_eq!((mode(&tls), mode(&key)), (0o700, 0o600));
    assert_eq!(std::fs::read(&key).unwrap(), before);
    // Shared on purpose: left as it is.
    set(&key, 0o640).unwrap();
    config.server.allow_shared_key_file = true;
    drop(orgbox::app::Application::build(config).await.unwrap());
    assert_eq!(mode(&key), 0o640);
}
