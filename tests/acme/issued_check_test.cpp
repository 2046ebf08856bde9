// check_issued_certificate on certificates generated here (make_self_signed): each check at its bounds, and the
// operator's message naming the check, what was expected and what was got.
#include <doctest/doctest.h>
#include "certman/acme/issued_check.hpp"
#include "certman/crypto/self_signed.hpp"

using namespace certman;
using namespace certman::acme;
using namespace std::chrono;

namespace {
const sys_seconds NB = sys_days{year{2030} / 1 / 2} + hours{3};
const seconds LIFE = days{90};

std::string issue(const crypto::private_key& key, const std::vector<std::string>& names, sys_seconds from = NB) {
    return crypto::make_self_signed(key, names, from, LIFE).value();
}

// "" when the check passes, else the message.
std::string verdict(const std::string& pem, const std::vector<identifier>& ids, const crypto::private_key& key,
                    timestamp now) {
    auto r = check_issued_certificate(pem, ids, key, now);
    if (r) return "";
    CHECK(r.error() == errc::protocol_error);
    CHECK(!r.error().message().empty());
    return r.error().message();
}
}  // namespace

TEST_CASE("check_issued_certificate: names are exactly the order's identifiers") {
    auto key = crypto::generate_key(crypto::key_type::ec256).value();
    const timestamp now = NB + hours{1};
    const std::vector<identifier> ab = {identifier::dns("a.example"), identifier::dns("b.example")};
    struct row { std::vector<std::string> sans; std::vector<identifier> ids; std::string want; };
    const row rows[] = {
        {{"a.example", "b.example"}, ab, ""},
        {{"b.example", "a.example"}, ab, ""},                                    // any order
        {{"A.Example", "b.EXAMPLE"}, ab, ""},                                    // DNS names ignore case
        {{"a.example", "b.example"}, {identifier::dns("A.EXAMPLE"), identifier::dns("b.example")}, ""},
        {{"a.example"}, ab,
         "the issued certificate's names differ from the order: expected a.example, b.example; got a.example "
         "(missing b.example)"},
        {{"a.example", "b.example", "evil.example"}, ab,
         "the issued certificate's names differ from the order: expected a.example, b.example; got a.example, "
         "b.example, evil.example (not ordered evil.example)"},
        {{"a.example", "c.example"}, ab,
         "the issued certificate's names differ from the order: expected a.example, b.example; got a.example, "
         "c.example (missing b.example; not ordered c.example)"},
        // RFC 8738 IP identifiers: compared by address, whatever the spelling.
        {{"192.0.2.1", "2001:db8::1"}, {identifier::ip("192.0.2.1"), identifier::ip("2001:DB8:0:0::1")}, ""},
        {{"192.0.2.1"}, {identifier::ip("192.0.2.2")},
         "the issued certificate's names differ from the order: expected ip 192.0.2.2; got ip 192.0.2.1 "
         "(missing ip 192.0.2.2; not ordered ip 192.0.2.1)"},
        // An address ordered as an IP must not be satisfied by a dNSName spelling it, nor the other way round.
        {{"x.example", "192.0.2.1"}, {identifier::dns("x.example"), identifier::dns("192.0.2.1")},
         "the issued certificate's names differ from the order: expected 192.0.2.1, x.example; got ip 192.0.2.1, "
         "x.example (missing 192.0.2.1; not ordered ip 192.0.2.1)"},
    };
    for (const auto& r : rows) {
        CAPTURE(join_values(r.ids));
        CAPTURE(r.sans.size());
        CHECK(verdict(issue(key, r.sans), r.ids, key, now) == r.want);
    }
}

TEST_CASE("check_issued_certificate: valid now, with a 300 s allowance for notBefore only") {
    auto key = crypto::generate_key(crypto::key_type::ec256).value();
    const std::vector<identifier> ids = {identifier::dns("a.example")};
    const std::string pem = issue(key, {"a.example"});
    struct row { timestamp now; std::string want; };
    const row rows[] = {
        {NB, ""},
        {NB - issued_clock_skew, ""},                     // our clock 5 min behind the CA's: accepted
        {NB - issued_clock_skew - milliseconds{1}, "the issued certificate is not valid yet: ..."},
        {NB - issued_clock_skew - seconds{1},
         "the issued certificate is not valid yet: notBefore 2030-01-02T03:00:00Z is later than now "
         "(2030-01-02T02:54:59Z) plus the 300 s clock-skew allowance"},
        {NB - days{365}, "the issued certificate is not valid yet: ..."},
        {NB + LIFE - seconds{1}, ""},
        {NB + LIFE - milliseconds{1}, ""},
        {NB + LIFE, "the issued certificate has expired: notAfter 2030-04-02T03:00:00Z is not later than now "
                    "(2030-04-02T03:00:00Z)"},
        {NB + LIFE + days{1}, "the issued certificate has expired: ..."},
    };
    for (const auto& r : rows) {
        CAPTURE((r.now - NB).count());
        const std::string got = verdict(pem, ids, key, r.now);
        if (r.want.ends_with("...")) {
            CHECK_MESSAGE(got.starts_with(r.want.substr(0, r.want.size() - 3)), got);
        } else {
            CHECK(got == r.want);
        }
    }
}

TEST_CASE("check_issued_certificate: the public key is the CSR's") {
    auto ours = crypto::generate_key(crypto::key_type::ec256).value();
    auto other_ec = crypto::generate_key(crypto::key_type::ec256).value();
    auto other_rsa = crypto::generate_key(crypto::key_type::rsa2048).value();
    const std::vector<identifier> ids = {identifier::dns("a.example")};
    const timestamp now = NB + hours{1};
    CHECK(verdict(issue(ours, {"a.example"}), ids, ours, now) == "");
    CHECK(verdict(issue(other_ec, {"a.example"}), ids, ours, now) ==
          "the issued certificate's public key is not the one of our CSR: expected our ec256 key, got another key "
          "(ec256)");
    CHECK(verdict(issue(other_rsa, {"a.example"}), ids, ours, now) ==
          "the issued certificate's public key is not the one of our CSR: expected our ec256 key, got another key "
          "(rsa2048)");
}

TEST_CASE("check_issued_certificate: the leaf is the first block; garbage is refused") {
    auto key = crypto::generate_key(crypto::key_type::ec256).value();
    auto issuer_key = crypto::generate_key(crypto::key_type::ec256).value();
    const std::vector<identifier> ids = {identifier::dns("a.example")};
    const timestamp now = NB + hours{1};
    const std::string leaf = issue(key, {"a.example"});
    const std::string ca = issue(issuer_key, {"issuer.example"});
    CHECK(verdict(leaf + ca, ids, key, now) == "");
    CHECK(verdict(ca + leaf, ids, key, now).starts_with("the issued certificate's names differ"));
    CHECK(verdict("<html>oops</html>", ids, key, now) == "the CA's certificate chain is not PEM");
    CHECK(check_issued_certificate("", ids, key, now).error() == errc::protocol_error);
}
