// An HTTP(S) client behind a narrow interface, so the ACME driver, the cloud clients and their tests can
// swap the transport (STYLE.md §6).
//
// Contract of http_client::send:
//  - Sends one request and reads the whole response; returns it whatever its status (4xx/5xx are values,
//    not errors).
//  - Errors: errc::timeout when the request's timeout elapses (resolve + connect + TLS + write + read);
//    errc::invalid_argument for a bad URL (not http/https, no host); TLS failures as asio::ssl codes; connection
//    errors as system codes; errc::protocol_error for a malformed response or one past a memory bound: a body over
//    max_body_bytes, header over 8 KiB, read buffer over max_body_bytes + 128 KiB (endless chunk extension, trailer).
//  - https:// verifies the peer's certificate chain and host name against the system roots plus
//    options.trusted_ca_file. Plain http:// is allowed only when options.allow_plain_http is set, or the
//    host is a loopback address (tests, metadata services on link-local are allowed explicitly by the caller).
//  - May reuse connections; never logs bodies (they carry JWS and secrets).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include "certman/core/result.hpp"
#include "certman/net/http_message.hpp"

namespace certman::net {

struct http_client_options {
    std::string trusted_ca_file;          // extra PEM roots (a private CA such as Pebble's); empty = none
    bool allow_plain_http = false;        // permit http:// to non-loopback hosts (metadata service)
    std::size_t max_body_bytes = 8 * 1024 * 1024;
    std::string user_agent = "certman";
};

class http_client {
public:
    virtual ~http_client() = default;
    virtual boost::asio::awaitable<result<http_response>> send(http_request request) = 0;
};

// Builds the Beast + OpenSSL implementation. Throws std::runtime_error if trusted_ca_file cannot be loaded
// (a startup misconfiguration).
std::unique_ptr<http_client> make_http_client(boost::asio::any_io_executor executor, http_client_options options);

}  // namespace certman::net
