#include "certman/crypto/certificate.hpp"
#include <arpa/inet.h>
#include <sys/socket.h>
#include "certman/crypto/digest.hpp"
#include "certman/crypto/hex.hpp"
#include "load_certificate.hpp"

namespace certman::crypto {
namespace {

std::string common_name(const X509_NAME* name) {
    int idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (idx < 0) return {};
    const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, value);
    if (len < 0) return {};
    std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(len));
    OPENSSL_free(utf8);
    return out;
}

// The style of `openssl x509 -issuer` in OpenSSL 3: "C = US, O = Example, CN = Example CA".
std::string one_line(const X509_NAME* name) {
    bio_ptr out = make_write_bio();
    if (!out) return {};
    const unsigned long flags = (XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) | ASN1_STRFLGS_UTF8_CONVERT;
    if (X509_NAME_print_ex(out.get(), name, 0, flags) < 0) return {};
    return bio_contents(out.get());
}

std::string ip_to_text(const ASN1_OCTET_STRING* ip) {
    const unsigned char* data = ASN1_STRING_get0_data(ip);
    int len = ASN1_STRING_length(ip);
    char text[INET6_ADDRSTRLEN] = {};
    int family = len == 4 ? AF_INET : len == 16 ? AF_INET6 : 0;
    if (family == 0 || inet_ntop(family, data, text, sizeof text) == nullptr) {
        return to_hex({reinterpret_cast<const char*>(data), static_cast<std::size_t>(len)});  // malformed: show bytes
    }
    return text;
}

void read_sans(X509* cert, certificate_facts& facts) {
    general_names_ptr sans(
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
    if (!sans) return;
    for (int i = 0; i < sk_GENERAL_NAME_num(sans.get()); ++i) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans.get(), i);
        if (gn->type == GEN_DNS) {
            const ASN1_IA5STRING* s = gn->d.dNSName;
            facts.dns_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                         static_cast<std::size_t>(ASN1_STRING_length(s)));
        } else if (gn->type == GEN_IPADD) {
            facts.ip_addresses.push_back(ip_to_text(gn->d.iPAddress));
        }
    }
}

result<std::chrono::sys_seconds> to_sys_seconds(const ASN1_TIME* t) {
    std::tm tm{};
    if (ASN1_TIME_to_tm(t, &tm) != 1) return parse_failure();
    using namespace std::chrono;
    year_month_day ymd{year{tm.tm_year + 1900}, month{static_cast<unsigned>(tm.tm_mon + 1)},
                       day{static_cast<unsigned>(tm.tm_mday)}};
    return sys_days{ymd} + hours{tm.tm_hour} + minutes{tm.tm_min} + seconds{tm.tm_sec};
}

// The content octets of the serial's DER INTEGER: what RFC 9773 (ARI) puts in a certificate identifier.
result<std::string> serial_content_octets(const ASN1_INTEGER* serial) {
    unsigned char* der = nullptr;
    int len = i2d_ASN1_INTEGER(serial, &der);
    if (len < 2) return crypto_failure();
    std::string all(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    auto first_len = static_cast<unsigned char>(all[1]);
    std::size_t header = first_len < 0x80 ? 2 : 2 + (first_len & 0x7F);
    if (header > all.size()) return errc::parse_error;
    return all.substr(header);
}

error_code read_identity(X509* cert, certificate_facts& facts) {
    const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
    facts.serial_hex = to_hex({reinterpret_cast<const char*>(ASN1_STRING_get0_data(serial)),
                               static_cast<std::size_t>(ASN1_STRING_length(serial))});
    auto octets = serial_content_octets(serial);
    if (!octets) return octets.error().code();
    facts.serial_der = std::move(*octets);
    if (const ASN1_OCTET_STRING* aki = X509_get0_authority_key_id(cert)) {
        facts.authority_key_id.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(aki)),
                                      static_cast<std::size_t>(ASN1_STRING_length(aki)));
    }
    if (auto t = key_type_of(X509_get0_pubkey(cert))) facts.public_key_type = *t;
    return {};
}

error_code read_der_and_fingerprints(X509* cert, certificate_facts& facts) {
    unsigned char* der = nullptr;
    int len = i2d_X509(cert, &der);
    if (len <= 0) return crypto_failure();
    facts.der.assign(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    auto s1 = sha1(facts.der);
    auto s256 = sha256(facts.der);
    if (!s1 || !s256) return errc::crypto_error;
    facts.sha1_fingerprint = to_hex(*s1);
    facts.sha256_fingerprint = to_hex(*s256);
    return {};
}

}  // namespace

result<certificate_facts> inspect_certificate(std::string_view pem_or_der) {
    auto cert = detail::load_certificate(pem_or_der);
    if (!cert) return cert.error();
    X509* x = cert->get();
    certificate_facts facts;
    facts.subject_cn = common_name(X509_get_subject_name(x));
    facts.issuer_cn = common_name(X509_get_issuer_name(x));
    facts.issuer = one_line(X509_get_issuer_name(x));
    read_sans(x, facts);
    auto nb = to_sys_seconds(X509_get0_notBefore(x));
    auto na = to_sys_seconds(X509_get0_notAfter(x));
    if (!nb || !na) return errc::parse_error;
    facts.not_before = *nb;
    facts.not_after = *na;
    if (auto ec = read_identity(x, facts)) return ec;
    if (auto ec = read_der_and_fingerprints(x, facts)) return ec;
    return facts;
}

}  // namespace certman::crypto
