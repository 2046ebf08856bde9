#include "certman/net/response_bytes.hpp"
#include <charconv>

namespace certman::net {

std::string_view reason_phrase(unsigned status) noexcept {
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Content Too Large";  // RFC 9110 §15.5.14 (formerly "Payload Too Large")
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

void append_response(std::string& out, const response_spec& spec, unsigned version, bool keep_alive, bool head) {
    char num[24];
    auto put_number = [&](std::size_t n) {
        auto [end, ec] = std::to_chars(num, num + sizeof num, n);
        (void)ec;  // 24 digits hold any size_t
        out.append(num, end);
    };
    const bool http10 = version == 10;
    out.append(http10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    put_number(spec.status);
    out.push_back(' ');
    out.append(reason_phrase(spec.status));
    out.append("\r\nServer: certman\r\nContent-Type: ");
    out.append(spec.content_type);
    if (!spec.allow.empty()) {
        out.append("\r\nAllow: ");
        out.append(spec.allow);
    }
    out.append("\r\nContent-Length: ");
    put_number(spec.body.size());
    if (!http10 && !keep_alive) out.append("\r\nConnection: close");
    if (http10 && keep_alive) out.append("\r\nConnection: keep-alive");
    out.append("\r\n\r\n");
    if (!head) out.append(spec.body);
}

}  // namespace certman::net
