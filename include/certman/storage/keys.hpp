// Storage keys: the only way certman names things it keeps in storage. A key is a '/'-separated relative
// path whose every component matches [a-z0-9._-]+ and does not start with '.', so a key can never climb out
// of a directory root ("..", "/", NUL, absolute paths are impossible), never collides with a backend's own
// temporary files (which start with '.'), and means the same thing on a case-insensitive filesystem and in
// an OSS bucket. Pure functions; the builders never fail: they sanitize whatever they are given.
//
// Layout (see docs/storage-layout.md):
//   certificates/<name>.json            one certificate bundle (key + leaf + chain + metadata, bundle.hpp)
//   accounts/<host>-<hash>/account-key.pem       the ACME account key of one directory URL (PKCS#8 PEM)
//   accounts/<host>-<hash>/account-key.next.pem  a new account key while a key rollover is in flight
//   accounts/<host>-<hash>/account.json          the same key under its old, misleading name (read once,
//                                                then moved to account-key.pem: storage/account_key_store.hpp)
//   state/<name>.json                   renewal state (backoff, ARI window, failures)
//   leases/<name>.json                  the lease of one certificate's order (lease.hpp)
//   challenges/<hex(token)>             an HTTP-01 key authorization, for the other instances of a cluster
#pragma once
#include <string>
#include <string_view>

namespace certman::storage {

// Longest component a builder produces (leaves room for a suffix under NAME_MAX = 255).
inline constexpr std::size_t max_component_length = 200;

// Turns any text into one safe component: ASCII letters are lowercased, every character outside
// [a-z0-9._-] becomes '_' ('*' of a wildcard name too), a leading '.' becomes '_' (so "." and ".." are
// impossible), the empty string becomes "_", and the result is cut to max_component_length.
// Not injective ("a b" and "a_b" meet): names that must stay distinct are validated by the config first.
std::string sanitize_component(std::string_view raw);

// True when key is a well-formed storage key: non-empty components separated by single '/', each made of
// [a-z0-9._-] and not starting with '.', at most 1024 bytes, no leading or trailing '/'.
bool is_valid_key(std::string_view key) noexcept;

// True when prefix may be passed to storage::list: "" or a valid key, optionally followed by one '/'.
bool is_valid_prefix(std::string_view prefix) noexcept;

// "certificates/<sanitized name>.json"
std::string certificate_key(std::string_view name);
// "accounts/<sanitized host[:port]>-<first 16 hex digits of SHA-256(url)>/": readable, and two directories on
// the same host (staging and production) never share an account.
std::string account_prefix(std::string_view directory_url);
// account_prefix + "account-key.pem": the account's private key (PKCS#8 PEM), the one secret of an account.
std::string account_key(std::string_view directory_url);
// account_prefix + "account-key.next.pem": the new key of a key rollover (RFC 8555 §7.3.5) between its
// creation and the CA's answer (app/account_rollover.cpp resolves a leftover one).
std::string pending_account_key(std::string_view directory_url);
// account_prefix + "account.json": where versions before account-key.pem kept the same PEM key.
std::string legacy_account_key(std::string_view directory_url);
// "state/<sanitized name>.json"
std::string state_key(std::string_view name);
// "leases/<sanitized name>.json"
std::string lease_key(std::string_view name);
// "challenges/<lowercase hex of the token's bytes>": tokens are case-sensitive base64url (RFC 8555 §8.3),
// so hex keeps distinct tokens distinct under the lowercase rule.
std::string challenge_key(std::string_view token);

inline constexpr std::string_view certificates_prefix = "certificates/";
inline constexpr std::string_view accounts_prefix = "accounts/";
inline constexpr std::string_view state_prefix = "state/";
inline constexpr std::string_view leases_prefix = "leases/";
inline constexpr std::string_view challenges_prefix = "challenges/";

}  // namespace certman::storage
