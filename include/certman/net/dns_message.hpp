// A minimal DNS message codec for one purpose: asking a resolver for the TXT records of one name and reading
// the answer (DNS-01 propagation checks, challenge/dns01_alidns_solver.hpp). RFC 1035 §4.1: a 12-byte header,
// the question (QNAME as length-prefixed labels, QTYPE, QCLASS), resource records (NAME, TYPE, CLASS, TTL,
// RDLENGTH, RDATA); TXT RDATA is one or more <character-string>s (§3.3.14). No EDNS, no DNSSEC. Pure.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "certman/core/result.hpp"

namespace certman::net {

inline constexpr std::uint16_t dns_type_txt = 16;
inline constexpr std::uint16_t dns_class_in = 1;

// A standard query (opcode 0, RD=1) for the TXT records of `name` (dots separate labels; a trailing dot is
// optional). Errors: errc::invalid_argument for an empty label, a label over 63 bytes or a name over 255 bytes.
result<std::string> encode_txt_query(std::uint16_t id, std::string_view name);

struct dns_txt_answer {
    std::uint16_t id = 0;
    unsigned rcode = 0;        // 0 NOERROR, 3 NXDOMAIN, ...
    bool truncated = false;    // TC: the answer did not fit (TCP would be needed)
    std::vector<std::string> values;  // each TXT RR of the answer section, its strings concatenated
};

// Reads a response to encode_txt_query(id, name): QR must be set, the id must match and the question must be
// `name` TXT IN (case-insensitive). Answer RRs of other types (a CNAME on the way) are skipped; compression
// pointers in owner names are skipped, never followed. Every length is checked against the message.
// Errors: errc::protocol_error (not a response to this query), errc::parse_error (malformed or cut short).
result<dns_txt_answer> decode_txt_response(std::string_view message, std::uint16_t id, std::string_view name);

}  // namespace certman::net
