#include <doctest/doctest.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "certman/crypto/csr.hpp"

using namespace certman;
using namespace certman::crypto;

namespace {

struct parsed_csr {
    std::string cn;
    std::vector<std::string> dns;
    std::vector<std::string> ips;  // raw octets
    bool signature_ok = false;
    int digest_nid = 0;
};

// Reads back a DER CSR with OpenSSL, independently of the code under test.
parsed_csr parse(const std::string& der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    x509_req_ptr req(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
    REQUIRE(req);
    parsed_csr out;
    char cn[256] = {};
    if (X509_NAME_get_text_by_NID(X509_REQ_get_subject_name(req.get()), NID_commonName, cn, sizeof cn) > 0) out.cn = cn;
    EVP_PKEY* pub = X509_REQ_get0_pubkey(req.get());
    out.signature_ok = X509_REQ_verify(req.get(), pub) == 1;
    int pknid = 0;
    OBJ_find_sigid_algs(X509_REQ_get_signature_nid(req.get()), &out.digest_nid, &pknid);
    STACK_OF(X509_EXTENSION)* exts = X509_REQ_get_extensions(req.get());
    auto* sans = static_cast<GENERAL_NAMES*>(X509V3_get_d2i(exts, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans); ++i) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans, i);
        const ASN1_STRING* s = gn->type == GEN_DNS ? gn->d.dNSName : gn->d.iPAddress;
        std::string v(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
        (gn->type == GEN_DNS ? out.dns : out.ips).push_back(v);
    }
    GENERAL_NAMES_free(sans);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    return out;
}

}  // namespace

TEST_CASE("make_csr_der: CN is the first name, every name is a SAN, signed with SHA-256") {
    const std::string long_name = std::string(60, 'a') + ".example.com";  // 72 > 64 characters
    struct row {
        std::vector<std::string> names;
        std::string cn;
        std::vector<std::string> dns;
        std::vector<std::string> ips;
    };
    const row rows[] = {
        {{"example.com"}, "example.com", {"example.com"}, {}},
        {{"example.com", "www.example.com"}, "example.com", {"example.com", "www.example.com"}, {}},
        {{"*.example.com"}, "*.example.com", {"*.example.com"}, {}},
        {{"192.0.2.1", "example.com"}, "192.0.2.1", {"example.com"}, {std::string("\xc0\x00\x02\x01", 4)}},
        {{"2001:db8::1"}, "2001:db8::1", {}, {std::string("\x20\x01\x0d\xb8", 4) + std::string(11, '\0') + "\x01"}},
        {{long_name, "example.com"}, "", {long_name, "example.com"}, {}},
    };
    for (key_type t : {key_type::ec256, key_type::ec384, key_type::rsa2048}) {
        auto key = generate_key(t).value();
        for (const auto& r : rows) {
            CAPTURE(to_string(t));
            CAPTURE(r.names.front());
            auto der = make_csr_der(key, r.names);
            REQUIRE(der.has_value());
            parsed_csr csr = parse(*der);
            CHECK(csr.signature_ok);
            CHECK(csr.digest_nid == NID_sha256);
            CHECK(csr.cn == r.cn);
            CHECK(csr.dns == r.dns);
            CHECK(csr.ips == r.ips);
        }
    }
}

TEST_CASE("make_csr_der: malformed name lists are refused") {
    auto key = generate_key(key_type::ec256).value();
    const std::vector<std::string> bad[] = {{}, {""}, {"a b.example"}, {"ok.example", "bad\n.example"},
                                            {std::string("nul\0.example", 12)}};
    for (const auto& names : bad) {
        CAPTURE(names.size());
        CHECK(make_csr_der(key, names).error() == errc::invalid_argument);
    }
}
