#include "certman/policy/ari.hpp"
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include "certman/core/base64url.hpp"
#include "certman/core/rfc3339.hpp"

namespace certman::policy {
namespace {

// Minimal DER INTEGER content for a non-negative integer given as big-endian bytes (X.690 §8.3.2: no
// redundant leading 00, and a 00 in front when the top bit would otherwise read as a sign).
std::string minimal_positive_der(std::string_view bytes) {
    const auto first = bytes.find_first_not_of('\0');
    if (first == std::string_view::npos) return std::string(1, '\0');  // zero is encoded as one 00 byte
    std::string out;
    if (static_cast<unsigned char>(bytes[first]) & 0x80u) out.push_back('\0');
    out.append(bytes.substr(first));
    return out;
}

result<sys_seconds> time_member(const boost::json::object& obj, std::string_view key) {
    const auto* v = obj.if_contains(key);
    if (v == nullptr || !v->is_string()) return errc::parse_error;
    return parse_rfc3339(v->get_string());
}

// errc::parse_error saying what is wrong.
failure refuse(const char* what) { return {errc::parse_error, what}; }

}  // namespace

std::string ari_cert_id(std::string_view aki_bytes, std::string_view serial_der_bytes) {
    // RFC 9773 §4.1: base64url of each part with trailing '=' stripped, joined by '.'.
    return base64url_encode(aki_bytes) + "." + base64url_encode(minimal_positive_der(serial_der_bytes));
}

sys_seconds ari_next_poll(std::optional<std::chrono::seconds> retry_after_header, sys_seconds now) {
    return now + std::clamp(retry_after_header.value_or(ari_default_poll), ari_min_poll, ari_max_poll);
}

result<ari_window> parse_renewal_info(std::string_view json, std::optional<std::chrono::seconds> retry_after_header,
                                      sys_seconds now) {
    boost::system::error_code ec;
    const boost::json::value doc = boost::json::parse(json, ec);
    if (ec) return refuse("not JSON");
    if (!doc.is_object()) return refuse("not a JSON object");
    const auto& root = doc.get_object();

    const auto* window = root.if_contains("suggestedWindow");
    if (window == nullptr || !window->is_object()) return refuse("no suggestedWindow object");
    auto start = time_member(window->get_object(), "start");
    if (!start) return refuse("suggestedWindow.start is missing or not an RFC 3339 time");
    auto end = time_member(window->get_object(), "end");
    if (!end) return refuse("suggestedWindow.end is missing or not an RFC 3339 time");
    if (*end <= *start) return refuse("suggestedWindow end is not after start");  // §4.2

    ari_window out{*start, *end, {}, ari_next_poll(retry_after_header, now)};
    if (const auto* url = root.if_contains("explanationURL")) {
        if (!url->is_string()) return refuse("explanationURL is not a string");
        out.explanation_url = std::string(url->get_string());
    }
    return out;
}

}  // namespace certman::policy
