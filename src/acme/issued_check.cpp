// check_issued_certificate (issued_check.hpp): names, validity and key of the leaf the CA sent.
#include "certman/acme/issued_check.hpp"
#include <arpa/inet.h>
#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>
#include "certman/core/rfc3339.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/crypto/key_type.hpp"
#include "certman/core/ascii.hpp"

namespace certman::acme {
namespace {
using std::chrono::seconds;

// An IP address in canonical text form (inet_ntop's), so "2001:DB8:0::1" and "2001:db8::1" compare equal;
// text that is no address stays as it is (and so matches nothing real).
std::string canonical_ip(const std::string& text) {
    unsigned char buf[16];
    char out[INET6_ADDRSTRLEN] = {};
    for (int family : {AF_INET, AF_INET6}) {
        if (inet_pton(family, text.c_str(), buf) == 1 && inet_ntop(family, buf, out, sizeof out) != nullptr)
            return out;
    }
    return text;
}

// "a.example" for DNS names, "ip 192.0.2.1" for addresses: the same key for the same identifier.
std::string key_of(std::string_view type, const std::string& value) {
    if (ascii_lower(type) == "ip") return "ip " + canonical_ip(value);
    return ascii_lower(value);
}

std::string join(const std::set<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "none" : out;
}

std::string names_mismatch(const std::set<std::string>& want, const std::set<std::string>& got) {
    std::set<std::string> missing, extra;
    std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::inserter(missing, missing.end()));
    std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::inserter(extra, extra.end()));
    std::string out = "the issued certificate's names differ from the order: expected " + join(want) + "; got " +
                      join(got) + " (";
    if (!missing.empty()) out += "missing " + join(missing);
    if (!missing.empty() && !extra.empty()) out += "; ";
    if (!extra.empty()) out += "not ordered " + join(extra);
    return out + ")";
}

failure refuse(std::string text) { return {errc::protocol_error, std::move(text)}; }
}  // namespace

result<void> check_issued_certificate(std::string_view chain_pem, const std::vector<identifier>& requested,
                                      const crypto::private_key& key, timestamp now) {
    auto certs = crypto::split_pem_chain(chain_pem);
    if (!certs || certs->empty()) return refuse("the CA's certificate chain is not PEM");
    const std::string& leaf = certs->front();
    auto facts = crypto::inspect_certificate(leaf);
    if (!facts) return refuse("the issued certificate cannot be parsed");

    std::set<std::string> want, got;
    for (const auto& id : requested) want.insert(key_of(id.type, id.value));
    for (const auto& n : facts->dns_names) got.insert(key_of("dns", n));
    for (const auto& a : facts->ip_addresses) got.insert(key_of("ip", a));
    if (want != got) return refuse(names_mismatch(want, got));

    const auto at = std::chrono::floor<seconds>(now);
    if (facts->not_before > at + issued_clock_skew)
        return refuse("the issued certificate is not valid yet: notBefore " + format_rfc3339(facts->not_before) +
                          " is later than now (" + format_rfc3339(at) + ") plus the " +
                          std::to_string(issued_clock_skew.count()) + " s clock-skew allowance");
    if (facts->not_after <= at)
        return refuse("the issued certificate has expired: notAfter " + format_rfc3339(facts->not_after) +
                          " is not later than now (" + format_rfc3339(at) + ")");

    if (!crypto::key_matches_certificate(key, leaf)) {
        const std::string got_type =
            facts->public_key_type ? std::string(crypto::to_string(*facts->public_key_type)) : "an unsupported type";
        return refuse("the issued certificate's public key is not the one of our CSR: expected our " +
                          std::string(crypto::to_string(key.type())) + " key, got another key (" + got_type + ")");
    }
    return {};
}

}  // namespace certman::acme
