#![recursion_limit = "256"]
//! orgbox: an offline, stateful sandbox of BitGo's and Bitwarden's organization APIs.
//! Layers, top down (imports run down only; `tests/layers.rs` keeps it, docs/layout.md says
//! where things go): `cli`, `app`, `seed`, the dialects (`bitgo`, `bitwarden`, `control`),
//! `request`, `service`, `sandbox`, `config`, `store`, `auth`, `domain`, `files`.

pub mod app;
pub mod auth;
pub mod bitgo;
pub mod bitwarden;
pub mod cli;
pub mod config;
pub mod control;
pub mod domain;
pub mod files;
pub mod request;
pub mod sandbox;
pub mod seed;
pub mod service;
pub mod store;
