// HTTP/1.x response serialization for the server's fixed, small answers (pure; byte-exact unit tests).
// Every response certman's listeners send is a status, a content type, an optional Allow and a body held in
// memory, so the bytes are produced by one append into a buffer the connection reuses: no header map, no
// serializer, one write per response (bench/README.md, "HTTP: certman vs nginx":
// this is what makes a new connection per probe cheap).
//
// Wire format (RFC 9112 §4, §6.1; RFC 9110 §6.6.1, §8.6, §10.2.1):
//   HTTP/1.<v> <status> <reason>\r\n
//   Server: certman\r\n
//   Content-Type: <type>\r\n
//   [Allow: <methods>\r\n]                      only when spec.allow is set (405)
//   Content-Length: <body size>\r\n             also for HEAD (the size GET would send)
//   [Connection: close\r\n]                     HTTP/1.1 and !keep_alive
//   [Connection: keep-alive\r\n]                HTTP/1.0 and keep_alive
//   \r\n
//   <body>                                      omitted for HEAD
#pragma once
#include <string>
#include <string_view>
#include "certman/net/router.hpp"

namespace certman::net {

// The reason phrase for the statuses the server produces ("OK", "Not Found", ...); "Unknown" otherwise.
std::string_view reason_phrase(unsigned status) noexcept;

// Appends the response's bytes to out. version is 10 or 11 (anything else is answered as 1.1).
void append_response(std::string& out, const response_spec& spec, unsigned version, bool keep_alive, bool head);

}  // namespace certman::net
