#include "subject_names.hpp"

namespace certman::crypto::detail {
namespace {

constexpr std::size_t max_common_name = 64;  // ub-common-name, RFC 5280 Appendix A.1

bool acceptable(const std::string& name) {
    if (name.empty()) return false;
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F) return false;
    }
    return true;
}

// One GENERAL_NAME for a name: a2i_IPADDRESS recognises IPv4 and IPv6 literals and gives their octets.
GENERAL_NAME* make_general_name(const std::string& name) {
    GENERAL_NAME* gn = GENERAL_NAME_new();
    if (gn == nullptr) return nullptr;
    if (ASN1_OCTET_STRING* ip = a2i_IPADDRESS(name.c_str())) {
        GENERAL_NAME_set0_value(gn, GEN_IPADD, ip);
        return gn;
    }
    ASN1_IA5STRING* dns = ASN1_IA5STRING_new();
    if (dns == nullptr || ASN1_STRING_set(dns, name.data(), static_cast<int>(name.size())) != 1) {
        ASN1_IA5STRING_free(dns);
        GENERAL_NAME_free(gn);
        return nullptr;
    }
    GENERAL_NAME_set0_value(gn, GEN_DNS, dns);
    return gn;
}

}  // namespace

error_code check_names(const std::vector<std::string>& names) {
    if (names.empty()) return errc::invalid_argument;
    for (const auto& n : names) {
        if (!acceptable(n)) return errc::invalid_argument;
    }
    return {};
}

result<x509_name_ptr> make_subject(const std::vector<std::string>& names) {
    x509_name_ptr subject(X509_NAME_new());
    if (!subject) return crypto_failure();
    const std::string& cn = names.front();
    if (cn.size() <= max_common_name &&
        X509_NAME_add_entry_by_NID(subject.get(), NID_commonName, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(cn.data()), static_cast<int>(cn.size()),
                                   -1, 0) != 1) {
        return crypto_failure();
    }
    return subject;
}

result<x509_extension_ptr> make_san_extension(const std::vector<std::string>& names) {
    general_names_ptr sans(GENERAL_NAMES_new());
    if (!sans) return crypto_failure();
    for (const auto& n : names) {
        GENERAL_NAME* gn = make_general_name(n);
        if (gn == nullptr) return crypto_failure();
        if (sk_GENERAL_NAME_push(sans.get(), gn) == 0) {
            GENERAL_NAME_free(gn);
            return crypto_failure();
        }
    }
    x509_extension_ptr ext(X509V3_EXT_i2d(NID_subject_alt_name, 0, sans.get()));
    if (!ext) return crypto_failure();
    return ext;
}

}  // namespace certman::crypto::detail
