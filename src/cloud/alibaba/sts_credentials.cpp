// Metadata-service credential documents and their refresh time (contract in the header).
#include "certman/cloud/alibaba/sts_credentials.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "certman/core/errc.hpp"
#include "certman/core/rfc3339.hpp"

namespace certman::cloud::alibaba {
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

std::string_view string_member(const json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (!v || !v->is_string()) return {};
    return v->get_string();
}

}  // namespace

result<expiring_credentials> parse_metadata_credentials(std::string_view body, std::chrono::sys_seconds now) {
    boost::system::error_code ec;
    auto doc = json::parse(body, ec);
    if (ec || !doc.is_object()) return errc::parse_error;
    const auto& o = doc.get_object();
    if (string_member(o, "Code") != "Success") return errc::cloud_error;
    expiring_credentials out;
    out.key.access_key_id = string_member(o, "AccessKeyId");
    out.key.access_key_secret = string_member(o, "AccessKeySecret");
    out.key.security_token = string_member(o, "SecurityToken");
    if (out.key.access_key_id.empty() || out.key.access_key_secret.empty() || out.key.security_token.empty())
        return errc::parse_error;
    auto expiration = parse_rfc3339(string_member(o, "Expiration"));
    if (!expiration) return errc::parse_error;
    if (*expiration <= now)
        return failure{errc::protocol_error,
                       "Expiration " + format_rfc3339(*expiration) + " is not after now (" + format_rfc3339(now) +
                           "): the credentials are dead on arrival; check the system clock (NTP) and the metadata "
                           "service"};
    out.obtained_at = now;
    out.expiration = std::min(*expiration, now + max_sts_lifetime);
    return out;
}

std::chrono::sys_seconds refresh_time(std::chrono::sys_seconds obtained_at, std::chrono::sys_seconds expiration) {
    if (expiration <= obtained_at) return obtained_at;
    const auto lifetime = expiration - obtained_at;
    return expiration - std::min<std::chrono::seconds>(lifetime / 4, 5min);
}

bool needs_refresh(const expiring_credentials& c, std::chrono::sys_seconds now) {
    return c.expiration && now >= refresh_time(c.obtained_at, *c.expiration);
}

}  // namespace certman::cloud::alibaba
