// Link (RFC 8288) and Location headers of ACME responses: "up" points from a certificate or authorization to its
// issuer chain or order, "alternate" lists other certificate chains (RFC 8555 §7.4.2), and "index" the
// directory. Relative references are resolved against the request URL (RFC 3986 §5). Pure.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace certman::acme {

struct link {
    std::string target;           // as written between < >, or resolved when a base was given
    std::vector<std::string> rel; // the relation types, lower-cased (rel="alternate index" → two)
};

// Parses one or several Link header values (each may hold comma-separated links). Links with a malformed
// target are skipped; unknown parameters are ignored. Targets are resolved against `base` when it is non-empty
// and a valid absolute URL.
std::vector<link> parse_links(std::span<const std::string_view> header_values, std::string_view base = {});

// Targets of every link with relation `rel` (case-insensitive), in header order, resolved against `base`.
std::vector<std::string> links_with_rel(std::span<const std::string_view> header_values, std::string_view rel,
                                        std::string_view base = {});

// Resolves a Location (or Link) reference against the request URL. An absolute reference is returned as is;
// nullopt when `reference` is empty or cannot be resolved.
std::optional<std::string> resolve_reference(std::string_view base, std::string_view reference);

}  // namespace certman::acme
