//! Authentication: token generation and hashing, passwords, the sealed copy of raw tokens,
//! BitGo's HMAC request and response signing, Bitwarden's HS256 access tokens, the client IP,
//! the host names orgbox answers, and resolving a request's credentials to a
//! [`principal::Principal`].

pub mod client_ip;
pub mod hashing;
pub mod hosts;
pub mod jwt;
pub mod password;
pub mod replay;
pub mod seal;
pub mod signed_message;
pub mod signing;
pub mod sjcl;
pub mod throttle;
pub mod token;
