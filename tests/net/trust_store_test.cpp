// net/trust_store: one parse of the system roots per process, shared; an extra CA file adds to them without
// dropping any (include/certman/net/trust_store.hpp).
#include "certman/net/trust_store.hpp"

#include <doctest/doctest.h>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace {
using certman::net::trust_store_for;

std::string fixture(const std::string& rel) { return std::string(CERTMAN_FIXTURES) + "/" + rel; }

struct x509_free {
    void operator()(X509* c) const { X509_free(c); }
};
using x509_ptr = std::unique_ptr<X509, x509_free>;

x509_ptr read_cert(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "r");
    REQUIRE(f != nullptr);
    x509_ptr c(PEM_read_X509(f, nullptr, nullptr, nullptr));
    std::fclose(f);
    REQUIRE(c);
    return c;
}

// Whether `leaf` (with `untrusted` intermediates) chains to a root in `store`. Validity dates are not the point.
bool verifies(X509_STORE* store, X509* leaf, X509* intermediate = nullptr) {
    STACK_OF(X509)* chain = sk_X509_new_null();
    if (intermediate) sk_X509_push(chain, intermediate);
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, leaf, chain);
    X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
    const bool ok = X509_verify_cert(ctx) == 1;
    X509_STORE_CTX_free(ctx);
    sk_X509_free(chain);
    return ok;
}

int objects(X509_STORE* s) { return sk_X509_OBJECT_num(X509_STORE_get0_objects(s)); }
}  // namespace

TEST_CASE("the system roots are parsed once and shared by every client without an extra file") {
    X509_STORE* system = certman::net::load_system_trust_store();
    REQUIRE(system != nullptr);
    CHECK(certman::net::load_system_trust_store() == system);
    auto a = trust_store_for("");
    auto b = trust_store_for("");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->get() == system);
    CHECK(b->get() == system);
}

TEST_CASE("an extra CA file adds its roots to a store of its own, keeping every system root") {
    X509_STORE* system = certman::net::load_system_trust_store();
    const int system_count = objects(system);
    auto with_ca = trust_store_for(fixture("crypto/ca.pem"));
    REQUIRE(with_ca);
    CHECK(with_ca->get() != system);
    CHECK(objects(with_ca->get()) == system_count + 1);
    CHECK(objects(system) == system_count);  // the shared store is not modified

    auto leaf = read_cert(fixture("crypto/leaf.pem"));
    CHECK(verifies(with_ca->get(), leaf.get()));
    CHECK_FALSE(verifies(system, leaf.get()));

    // A second file-based store does not see the first one's root.
    auto with_import_root = trust_store_for(fixture("import/root.pem"));
    REQUIRE(with_import_root);
    auto import_leaf = read_cert(fixture("import/leaf.pem"));
    auto inter = read_cert(fixture("import/inter.pem"));
    CHECK(verifies(with_import_root->get(), import_leaf.get(), inter.get()));
    CHECK_FALSE(verifies(with_import_root->get(), leaf.get()));
    CHECK_FALSE(verifies(with_ca->get(), import_leaf.get(), inter.get()));
}

TEST_CASE("an unreadable or certificate-less CA file is an error naming the file") {
    auto missing = trust_store_for("/nonexistent/certman-ca.pem");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message() == "cannot load trusted CA file /nonexistent/certman-ca.pem: No such file or directory");
    CHECK(missing.error().hint().find("PEM") != std::string::npos);

    const std::string empty = "/tmp/certman-trust-store-test-empty.pem";
    std::ofstream(empty) << "no certificate in here\n";
    auto none = trust_store_for(empty);
    std::remove(empty.c_str());
    REQUIRE_FALSE(none);
    CHECK(none.error().message() == "cannot load trusted CA file " + empty + ": no certificate or crl found");

    // A key is not a certificate either.
    auto key = trust_store_for(fixture("crypto/ca.key"));
    CHECK_FALSE(key);
}
