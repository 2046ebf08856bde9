// Temporary (STS) credentials as the ECS metadata service hands them out for an instance RAM role, and when to
// fetch new ones (reference alibaba-api.md §3.1). Pure: `now` is always a parameter.
//
// The document is {"Code":"Success","AccessKeyId":"STS.…","AccessKeySecret":"…","SecurityToken":"…",
// "Expiration":"2017-11-01T05:20:01Z","LastUpdated":"…"}; the SDKs accept it only with Code == "Success" and
// all three secrets present, and so do we.
#pragma once
#include <chrono>
#include <optional>
#include <string_view>

#include "certman/cloud/alibaba/credentials.hpp"
#include "certman/core/result.hpp"

namespace certman::cloud::alibaba {

struct expiring_credentials {
    credentials key;
    std::chrono::sys_seconds obtained_at{};                 // when we fetched them (our clock)
    std::optional<std::chrono::sys_seconds> expiration;     // empty: long-lived key, never refreshed
};

// The longest an STS token lives: AssumeRole's MaxSessionDuration is at most 43200 s (ECS role credentials last
// 6 h, reference §3.1). A later Expiration (a broken service, year 9999) is cut to `now` plus this, so cached
// credentials are fetched again at least that often.
inline constexpr std::chrono::hours max_sts_lifetime{12};

// Parses the metadata service's credentials document, fetched at `now`. `expiration` is Expiration, at most
// now + max_sts_lifetime. Errors: errc::parse_error when the body is not a JSON object, a secret is missing or
// empty, or Expiration is not "YYYY-MM-DDThh:mm:ssZ"; errc::cloud_error when Code is not "Success";
// errc::protocol_error (a message with both times, saying to check the clock) when Expiration is not after
// `now`: such credentials would be fetched again on every use and refused by the service. Error values never
// carry the secret.
result<expiring_credentials> parse_metadata_credentials(std::string_view body, std::chrono::sys_seconds now);

// When to fetch again: Expiration minus the smaller of a quarter of the lifetime (obtained_at → expiration) and
// five minutes. The quarter keeps short test lifetimes meaningful; five minutes is plenty for production's hours
// (credentials-go refreshes 3 min ahead, the old Go SDK at 80 % of the lifetime). A lifetime that is already
// over (clock skew) gives obtained_at: refresh at the next use.
std::chrono::sys_seconds refresh_time(std::chrono::sys_seconds obtained_at, std::chrono::sys_seconds expiration);

// True when `c` expires and now >= refresh_time(...). Long-lived keys never need a refresh.
bool needs_refresh(const expiring_credentials& c, std::chrono::sys_seconds now);

}  // namespace certman::cloud::alibaba
