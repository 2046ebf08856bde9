// HAProxy's runtime API (the "stats socket", management.txt §9.3 of HAProxy 2.6) as text in and text out:
// the command lines the haproxy deployer sends and the parsing of HAProxy's answers. Pure: no sockets.
//
// The deployer uses the socket in its default non-interactive mode: one command per connection, HAProxy
// answers and closes. A command with a payload ends its first line with " <<" and the payload ends at the
// first empty line (management.txt "Some commands may take an optional payload"), so PEM payloads are
// sanitized to their BEGIN/END blocks with no blank line.
#pragma once
#include <string>
#include <string_view>
#include "certman/core/result.hpp"

namespace certman::deploy::haproxy {

// True when `path` can be named on the CLI as one word: non-empty, no whitespace or control character and
// none of ';' '\' '#' '<' (command separator, escape, and payload marker).
bool valid_cli_word(std::string_view path);

// Only the lines of the PEM blocks (BEGIN..END inclusive), "\r" dropped, blank lines dropped, each line
// ending in "\n". Text outside blocks is discarded.
std::string sanitize_pem_payload(std::string_view pem);

// "show ssl cert <path>\n" and friends. `path` must satisfy valid_cli_word.
std::string show_ssl_cert_command(std::string_view path);
std::string commit_ssl_cert_command(std::string_view path);
std::string abort_ssl_cert_command(std::string_view path);
// "set ssl cert <path> <<\n" + sanitize_pem_payload(pem) + "\n" (the empty line closes the payload).
std::string set_ssl_cert_command(std::string_view path, std::string_view pem);

// What `show ssl cert <path>` reports about a loaded certificate. Hex values are lowercase, without colons
// and without leading zeros for the serial.
struct served_certificate {
    std::string filename;
    std::string status;            // "Used" / "Unused"
    std::string serial_hex;
    std::string sha1_fingerprint;
};

// Parses the reply to `show ssl cert <path>`. A reply without a "Filename:" line (HAProxy's error text,
// e.g. "Can't display the certificate: Not found or the certificate is a bundle!") → errc::not_found;
// a "Filename:" reply without a "Serial:" or "SHA1 FingerPrint:" line → errc::parse_error.
result<served_certificate> parse_show_ssl_cert(std::string_view reply);

// Lowercase, colons and leading zeros removed: "00:0A:1B" → "a1b".
std::string normalize_hex(std::string_view hex);

// Replies that mean success: "Transaction created|updated for certificate <path>!" for set ssl cert and a
// final "Success!" line for commit ssl cert.
bool set_ssl_cert_accepted(std::string_view reply);
bool commit_ssl_cert_succeeded(std::string_view reply);

// One line for an error message: whitespace runs collapsed, trimmed, at most `limit` characters
// (an ellipsis marks a cut). Empty replies become "(no answer)".
std::string reply_excerpt(std::string_view reply, std::size_t limit = 200);

}  // namespace certman::deploy::haproxy
