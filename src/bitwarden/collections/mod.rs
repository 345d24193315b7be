//! Collections of an organization: who reaches which (`access`), the routes of
//! `CollectionsController` (`crud`) and their wire shapes (`views`).

pub mod access;
pub mod crud;
pub mod views;
