#include "certman/app/import_check.hpp"
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <algorithm>
#include <cctype>
#include <memory>
#include "certman/core/rfc3339.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/crypto/openssl_handles.hpp"
#include "certman/crypto/pem.hpp"
#include "certman/core/ascii.hpp"

namespace certman::app {
namespace {
crypto::x509_ptr read_x509(const std::string& pem) {
    auto bio = crypto::make_read_bio(pem);
    return crypto::x509_ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::string subject_of(X509* x) {
    char buf[512];
    X509_NAME_oneline(X509_get_subject_name(x), buf, sizeof buf);
    return buf;
}

struct store_deleter { void operator()(X509_STORE* s) const { X509_STORE_free(s); } };
struct ctx_deleter { void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); } };
struct stack_deleter { void operator()(STACK_OF(X509)* s) const { sk_X509_pop_free(s, X509_free); } };

// Verifies leaf + untrusted chain against `anchors` (and the system store when `system`); "" when it holds,
// else OpenSSL's reason with the depth and subject where it failed.
std::string verify(X509* leaf, const std::vector<crypto::x509_ptr>& chain, const std::vector<X509*>& anchors, bool system,
                   std::chrono::sys_seconds now) {
    std::unique_ptr<X509_STORE, store_deleter> store(X509_STORE_new());
    if (system) X509_STORE_set_default_paths(store.get());
    for (X509* a : anchors) X509_STORE_add_cert(store.get(), a);
    std::unique_ptr<STACK_OF(X509), stack_deleter> untrusted(sk_X509_new_null());
    for (const auto& c : chain) {
        X509_up_ref(c.get());
        sk_X509_push(untrusted.get(), c.get());
    }
    std::unique_ptr<X509_STORE_CTX, ctx_deleter> ctx(X509_STORE_CTX_new());
    X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get());
    X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(now.time_since_epoch().count()));
    if (X509_verify_cert(ctx.get()) == 1) {
        STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(ctx.get());
        return built && sk_X509_num(built) > 0 ? "" : "no chain";
    }
    const int err = X509_STORE_CTX_get_error(ctx.get());
    X509* at = X509_STORE_CTX_get_current_cert(ctx.get());
    return std::string(X509_verify_cert_error_string(err)) + " (depth " + std::to_string(X509_STORE_CTX_get_error_depth(ctx.get())) +
           (at ? ", " + subject_of(at) : std::string()) + ")";
}

std::string root_subject(X509* leaf, const std::vector<crypto::x509_ptr>& chain) {
    return subject_of(chain.empty() ? leaf : chain.back().get());
}

// Fills out.trust, or out.error when neither trust rule holds.
void check_chain(X509* leaf, const std::vector<crypto::x509_ptr>& chain, const std::string& trusted_pem,
                 std::chrono::sys_seconds now, import_checked& out) {
    std::vector<crypto::x509_ptr> anchors;
    if (!trusted_pem.empty())
        if (auto split = crypto::split_pem_chain(trusted_pem))
            for (const auto& p : *split) anchors.push_back(read_x509(p));
    std::vector<X509*> raw;
    for (const auto& a : anchors) raw.push_back(a.get());
    const std::string first = verify(leaf, chain, raw, true, now);
    if (first.empty()) {
        out.trust = "the chain verifies to a trusted root (system trust store or [acme] trusted_ca)";
        return;
    }
    if (!chain.empty() && X509_check_issued(chain.back().get(), chain.back().get()) == X509_V_OK) {
        const std::string own = verify(leaf, chain, {chain.back().get()}, false, now);
        if (own.empty()) {
            out.trust = "the chain verifies to its own root " + root_subject(leaf, chain) +
                        " (included in the chain; not in the system trust store or [acme] trusted_ca)";
            return;
        }
        out.error = "the certificate chain does not verify: " + own + "; give the issuers in order with --chain";
        return;
    }
    out.error = "the certificate chain does not verify: " + first +
                "; give every intermediate with --chain (certbot: chain.pem), include the root at its end, or add "
                "the issuing root to [acme] trusted_ca";
}

// Every configured domain covered by the leaf (out.error otherwise); names beyond them become notes.
bool check_names(const crypto::certificate_facts& facts, const certificate_config& cert, import_checked& out) {
    std::vector<std::string> missing;
    for (const auto& d : cert.domains) {
        bool covered = std::any_of(facts.dns_names.begin(), facts.dns_names.end(), [&](const auto& s) { return san_covers(s, d); }) ||
                       std::find(facts.ip_addresses.begin(), facts.ip_addresses.end(), d) != facts.ip_addresses.end();
        if (!covered) missing.push_back(d);
    }
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        out.error = "the certificate does not cover " + list + " of [[certificate]] \"" + cert.name +
                    "\": import a certificate for every configured domain, or change domains in the configuration";
        return false;
    }
    for (const auto& s : facts.dns_names)
        if (std::none_of(cert.domains.begin(), cert.domains.end(), [&](const auto& d) { return san_covers(s, d) || ascii_lower(s) == ascii_lower(d); }))
            out.notes.push_back("the certificate also covers " + s + ", which is not configured: the next renewal leaves it out");
    return true;
}

// The bundle as if certman had ordered it (see import_check.hpp for why each member is what it is).
storage::certificate_bundle make_bundle(std::string key_pem, const std::string& leaf_pem, const std::vector<std::string>& chain_pems,
                                        const crypto::certificate_facts& facts, const certificate_config& cert,
                                        const std::string& ktype, std::chrono::sys_seconds now) {
    storage::certificate_bundle b;
    b.private_key_pem = std::move(key_pem);
    b.certificate_pem = leaf_pem;
    for (const auto& p : chain_pems) b.chain_pem += p;
    b.names = cert.domains;
    b.key_type = ktype;
    b.issuer_cn = facts.issuer_cn;
    b.serial = facts.serial_hex;
    b.not_before = facts.not_before;
    b.not_after = facts.not_after;
    b.obtained_at = now;
    b.profile = cert.profile;
    return b;
}

}  // namespace

bool san_covers(std::string_view san, std::string_view domain) {
    const std::string s = ascii_lower(san), d = ascii_lower(domain);
    if (s == d) return true;
    if (!s.starts_with("*.") || d.starts_with("*.")) return false;
    const auto dot = d.find('.');
    return dot != std::string::npos && dot > 0 && d.substr(dot) == s.substr(1);
}

import_checked check_import(const import_files& files, const certificate_config& cert, const std::string& trusted_pem,
                            std::chrono::sys_seconds now) {
    import_checked out;
    auto certs = crypto::split_pem_chain(files.certificate_pem);
    if (!certs) return out.error = "the certificate file holds no PEM certificate (expected cert.pem or fullchain.pem)", out;
    std::vector<std::string> chain_pems(certs->begin() + 1, certs->end());
    if (!files.chain_pem.empty()) {
        auto c = crypto::split_pem_chain(files.chain_pem);
        if (!c) return out.error = "the chain file holds no readable PEM certificate (expected chain.pem)", out;
        for (auto& p : *c)
            if (std::find(chain_pems.begin(), chain_pems.end(), p) == chain_pems.end()) chain_pems.push_back(p);
    }
    auto key = crypto::private_key_from_pem(files.private_key_pem);
    if (!key)
        return out.error = key.error() == errc::unsupported
                               ? "the private key's algorithm or size is not one certman uses (EC P-256/P-384, RSA 2048/3072/4096)"
                               : "the key file holds no unencrypted PEM private key (expected privkey.pem)",
               out;
    auto facts = crypto::inspect_certificate(certs->front());
    if (!facts) return out.error = "the leaf certificate cannot be parsed", out;
    if (!crypto::key_matches_certificate(*key, certs->front()))
        return out.error = "the private key does not belong to the certificate (serial " + facts->serial_hex +
                           "): give the privkey.pem of the same certbot lineage or the key the certificate was issued for",
               out;
    if (now >= facts->not_after)
        return out.error = "the certificate expired on " + format_rfc3339(facts->not_after) + "; nothing to keep: run `certman renew " +
                           cert.name + "` to obtain a new one",
               out;
    if (now < facts->not_before)
        return out.error = "the certificate is not valid before " + format_rfc3339(facts->not_before) + " (check the clock)", out;
    if (!check_names(*facts, cert, out)) return out;
    const std::string ktype(crypto::to_string(key->type()));
    if (ktype != ascii_lower(cert.key_type))
        return out.error = "the key is " + ktype + " but [[certificate]] \"" + cert.name + "\" has key_type = \"" + cert.key_type +
                           "\": set key_type = \"" + ktype + "\" to keep this certificate until it is due (or run `certman renew --force " +
                           cert.name + "` for a new one)",
               out;
    std::vector<crypto::x509_ptr> chain;
    for (const auto& p : chain_pems) chain.push_back(read_x509(p));
    auto leaf = read_x509(certs->front());
    if (!leaf || std::any_of(chain.begin(), chain.end(), [](const auto& c) { return !c; }))
        return out.error = "a certificate in the chain cannot be parsed", out;
    check_chain(leaf.get(), chain, trusted_pem, now, out);
    if (!out.error.empty()) return out;
    auto pem = crypto::to_pem(*key);
    if (!pem) return out.error = "the private key cannot be re-encoded (OpenSSL failure)", out;
    out.bundle = make_bundle(std::move(*pem), certs->front(), chain_pems, *facts, cert, ktype, now);
    return out;
}

}  // namespace certman::app
