// The operator-facing export of a directory storage: plain PEM files that nginx, HAProxy or any TLS server
// can point at, where the key and the certificate switch together.
//
// Layout under the storage root (also in docs/storage-layout.md):
//   archive/<name>/<version>/privkey.pem    0600  the private key (PKCS#8)
//                            cert.pem       0644  the leaf
//                            chain.pem      0644  the issuer certificates (may be empty)
//                            fullchain.pem  0644  leaf + chain              (nginx ssl_certificate)
//                            combined.pem   0600  leaf + chain + key        (HAProxy "crt")
//   live/<name> -> ../archive/<name>/<version>   a symlink, replaced atomically
// <version> is "<obtained_at as YYYYMMDDTHHMMSSZ>-<serial>", so versions sort by age. A version directory
// is immutable: it is written under a temp name, every file fsynced, then renamed into place; only then is
// the live symlink replaced (new symlink under a temp name, rename over the old one, fsync). A reader that
// opens live/<name>/... therefore sees one complete version, even after kill -9 at any instant. The newest
// `keep` versions (and always the live one) are kept, older ones deleted. Directories are 0700.
//
// A server that reads two files (ssl_certificate + ssl_certificate_key) can in theory read them across a
// switch; combined.pem, a single file, cannot be torn. Reload the server after a switch (deployers do).
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include "certman/core/result.hpp"
#include "certman/storage/bundle.hpp"

namespace certman::storage {

// Publishes bundle as live/<sanitize_component(name)> under root (the dir_storage root). Idempotent: the
// same bundle published twice reuses its version directory. Errors: errc::io_error (or not_found when root
// vanished); the failure's message is "publish <name>: <operation> <path>: <reason>".
result<void> publish_live(const std::filesystem::path& root, std::string_view name, const certificate_bundle& bundle,
                          std::size_t keep = 3);

// The version directory name publish_live uses for bundle (exposed for tests and the docs).
std::string live_version_name(const certificate_bundle& bundle);

}  // namespace certman::storage
