// The canonical query string both Alibaba Cloud signatures are computed over: the RPC signature V1
// (CanonicalizedQueryString, reference alibaba-api.md §1.1 steps 2-3) and OSS Signature V4 (CanonicalQuery,
// §4.3). One rule: each name and value percent-encoded (percent_encode.hpp), the encoded pairs sorted by name
// and then value in byte order, joined with '&'. The signatures differ only in how an empty value is written.
// The RPC SDKs sort raw names instead of encoded ones; for names of unreserved characters (every RPC parameter:
// letters, digits, '.') the two orders are the same, while OSS V4 (whose SDK vector has names such as "+param1"
// and "|param1") needs the encoded order. Pure.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace certman::cloud::alibaba {

using param = std::pair<std::string, std::string>;  // raw (decoded) name and value
using param_list = std::vector<param>;

enum class empty_value {
    name_equals,  // "k=": RPC V1 (the Go SDK signs "Version=" for an empty value)
    bare_name,    // "k": OSS V4 sub-resources such as "uploads" or "versioning"
};

// "k=v&k=v" over params, encoded and sorted as above; an empty value is written as `empty` says. Never fails.
std::string canonical_query(const param_list& params, empty_value empty);

}  // namespace certman::cloud::alibaba
