// Reading what certbot keeps on disk, for `certman import`. Formats as written by certbot 2.x
// (certbot/_internal/account.py AccountFileStorage, certbot/_internal/storage.py):
//  - /etc/letsencrypt/live/NAME/{cert,privkey,chain,fullchain}.pem: symlinks into archive/NAME/, PEM;
//  - /etc/letsencrypt/accounts/<server path>/<id>/private_key.json: the account key as a JWK with its
//    private members (josepy JWKRSA: n, e, d, p, q, dp, dq, qi; RSA 2048 by default), mode 0400;
//    regr.json: {"body": {}, "uri": "<account URL>"}; meta.json: creation data (not needed).
//    <server path> is the directory URL's host[:port] followed by its path ("acme-v02.api.letsencrypt.org/directory").
#pragma once
#include <string>
#include "certman/app/import_check.hpp"
#include "certman/core/result.hpp"
#include "certman/crypto/private_key.hpp"

namespace certman::app {

struct certbot_account {
    crypto::private_key key;
    std::string account_url;  // regr.json "uri"
};

// Reads a file whole. Errors: errc::io_error, the message naming the path, the system's reason and what to do.
result<std::string> read_import_file(const std::string& path);

// cert.pem, privkey.pem and chain.pem of a certbot live/NAME/ directory. Errors: as read_import_file.
result<import_files> read_certbot_live(const std::string& dir);

// The account in a certbot accounts/<server path>/<id>/ directory, checked against the configured ACME
// directory URL when the path shows which server it belongs to. Never puts the key in a message. Errors:
// errc::config_error (another CA's account), errc::parse_error (not certbot's files), as read_import_file.
result<certbot_account> read_certbot_account(const std::string& dir, const std::string& directory_url);

// certbot's <server path> of a directory URL: "https://h:1/dir" → "h:1/dir".
std::string certbot_server_path(const std::string& directory_url);

}  // namespace certman::app
