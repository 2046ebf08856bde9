// HAProxy runtime API text: command lines, PEM sanitizing, and parsing of HAProxy 2.6's replies
// (reply texts as HAProxy 2.6.12 prints them, management.txt §9.3).
#include <doctest/doctest.h>

#include "certman/core/errc.hpp"
#include "certman/deploy/haproxy_cli.hpp"

namespace certman::deploy::haproxy {
namespace {

constexpr const char* show_reply =
    "Filename: /etc/haproxy/certs/site.pem\n"
    "Status: Used\n"
    "Serial: 03ECC19BA54B25E85ABA46EE561B9A10D26F\n"
    "notBefore: Sep 13 21:20:24 2019 GMT\n"
    "notAfter: Dec 12 21:20:24 2019 GMT\n"
    "Subject Alternative Name: DNS:test.local, DNS:imap.test.local\n"
    "Algorithm: EC256\n"
    "SHA1 FingerPrint: 017A11CAE25F607B24F638B4A8AEE51D1E211477\n"
    "Subject: /CN=test.local\n"
    "Issuer: /CN=Pebble Intermediate CA 1a2b3c\n"
    "\n";

TEST_CASE("haproxy_cli: valid_cli_word") {
    struct row { const char* word; bool ok; };
    for (auto [word, ok] : {row{"/etc/haproxy/certs/site.pem", true}, row{"", false}, row{"/a b.pem", false},
                            row{"/a;b.pem", false}, row{"/a\\b.pem", false}, row{"/a#b", false},
                            row{"/a<<", false}, row{"/a\tb", false}, row{"/a\nb", false}}) {
        CAPTURE(word);
        CHECK(valid_cli_word(word) == ok);
    }
}

TEST_CASE("haproxy_cli: sanitize_pem_payload keeps only PEM blocks without blank lines") {
    struct row { const char* in; const char* out; };
    for (auto [in, out] : {
             row{"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                 "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"},
             row{"subject=/CN=x\r\n-----BEGIN CERTIFICATE-----\r\nAA\r\n\r\nBB\r\n-----END CERTIFICATE-----\r\n\r\n"
                 "junk\n-----BEGIN PRIVATE KEY-----\nKK\n-----END PRIVATE KEY-----",
                 "-----BEGIN CERTIFICATE-----\nAA\nBB\n-----END CERTIFICATE-----\n"
                 "-----BEGIN PRIVATE KEY-----\nKK\n-----END PRIVATE KEY-----\n"},
             row{"no pem at all\n\n", ""},
         }) {
        CAPTURE(in);
        CHECK(sanitize_pem_payload(in) == out);
    }
}

TEST_CASE("haproxy_cli: command lines") {
    CHECK(show_ssl_cert_command("/c/a.pem") == "show ssl cert /c/a.pem\n");
    CHECK(commit_ssl_cert_command("/c/a.pem") == "commit ssl cert /c/a.pem\n");
    CHECK(abort_ssl_cert_command("/c/a.pem") == "abort ssl cert /c/a.pem\n");
    // The payload ends at the first empty line, so the command ends with exactly one.
    CHECK(set_ssl_cert_command("/c/a.pem", "-----BEGIN X-----\n\nQQ\n-----END X-----\n\n\n") ==
          "set ssl cert /c/a.pem <<\n-----BEGIN X-----\nQQ\n-----END X-----\n\n");
}

TEST_CASE("haproxy_cli: normalize_hex") {
    struct row { const char* in; const char* out; };
    for (auto [in, out] : {row{"00:0A:1B", "a1b"}, row{"03ECC19B", "3ecc19b"}, row{"0", "0"}, row{"00", "0"},
                           row{"abc", "abc"}, row{"", ""}}) {
        CAPTURE(in);
        CHECK(normalize_hex(in) == out);
    }
}

TEST_CASE("haproxy_cli: parse_show_ssl_cert") {
    auto r = parse_show_ssl_cert(show_reply);
    REQUIRE(r.has_value());
    CHECK(r->filename == "/etc/haproxy/certs/site.pem");
    CHECK(r->status == "Used");
    CHECK(r->serial_hex == "3ecc19ba54b25e85aba46ee561b9a10d26f");
    CHECK(r->sha1_fingerprint == "017a11cae25f607b24f638b4a8aee51d1e211477");  // leading zero kept

    SUBCASE("HAProxy's error text is not_found") {
        auto e = parse_show_ssl_cert("Can't display the certificate: Not found or the certificate is a bundle!\n");
        CHECK(e.error() == errc::not_found);
    }
    SUBCASE("a details reply without serial or fingerprint is a parse error") {
        CHECK(parse_show_ssl_cert("Filename: /a.pem\nStatus: Used\n").error() == errc::parse_error);
        CHECK(parse_show_ssl_cert("Filename: /a.pem\nSerial: 01\n").error() == errc::parse_error);
    }
}

TEST_CASE("haproxy_cli: success replies") {
    CHECK(set_ssl_cert_accepted("Transaction created for certificate /c/a.pem!\n"));
    CHECK(set_ssl_cert_accepted("Transaction updated for certificate /c/a.pem!\n"));
    CHECK_FALSE(set_ssl_cert_accepted("Can't replace a certificate which is not referenced by the configuration!\n"));
    CHECK_FALSE(set_ssl_cert_accepted(""));
    CHECK(commit_ssl_cert_succeeded("Committing /c/a.pem.\nSuccess!\n"));
    CHECK_FALSE(commit_ssl_cert_succeeded("No ongoing transaction! !\n"));
    CHECK_FALSE(commit_ssl_cert_succeeded("Committing /c/a.pem\nError: no Success!\n"));
}

TEST_CASE("haproxy_cli: reply_excerpt") {
    struct row { const char* in; std::size_t limit; const char* out; };
    for (auto [in, limit, out] : {row{"  a\n\n b\tc \n", 200, "a b c"}, row{"", 200, "(no answer)"},
                                  row{"\n\n", 200, "(no answer)"}, row{"abcdef", 3, "abc..."}}) {
        CAPTURE(in);
        CHECK(reply_excerpt(in, limit) == out);
    }
}

}  // namespace
}  // namespace certman::deploy::haproxy
