// Shared system roots for every TLS client (include/certman/net/trust_store.hpp).
#include "certman/net/trust_store.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <openssl/err.h>
#include <openssl/x509.h>

namespace certman::net {
namespace {

// Why `path` could not be loaded: the system's reason when it cannot be opened, else OpenSSL's ("no
// certificate or crl found"). Drains OpenSSL's error queue (a stale entry would make a later call look failed).
std::string load_failure_reason(const std::string& path) {
    const unsigned long e = ERR_peek_last_error();
    ERR_clear_error();
    if (FILE* f = std::fopen(path.c_str(), "r")) std::fclose(f);
    else return std::strerror(errno);
    const char* reason = e != 0 ? ERR_reason_error_string(e) : nullptr;
    return reason ? reason : "unreadable";
}

// The lazily-read hashed directory (OpenSSL's default, or SSL_CERT_DIR): certificates added there by
// update-ca-certificates are found at verification time, as with SSL_CTX_set_default_verify_paths.
void add_default_directory(X509_STORE* store) {
    if (X509_LOOKUP* dir = X509_STORE_add_lookup(store, X509_LOOKUP_hash_dir()))
        X509_LOOKUP_add_dir(dir, nullptr, X509_FILETYPE_DEFAULT);
    ERR_clear_error();
}

// Every certificate and CRL of `from`, referenced (up_ref) into `to`.
void add_objects_of(X509_STORE* from, X509_STORE* to) {
    X509_STORE_lock(from);
    STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(from);
    for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
        X509_OBJECT* o = sk_X509_OBJECT_value(objects, i);
        if (X509* cert = X509_OBJECT_get0_X509(o)) X509_STORE_add_cert(to, cert);
        else if (X509_CRL* crl = X509_OBJECT_get0_X509_CRL(o)) X509_STORE_add_crl(to, crl);
    }
    X509_STORE_unlock(from);
    ERR_clear_error();
}

}  // namespace

X509_STORE* load_system_trust_store() {
    static std::once_flag once;
    static X509_STORE* store = nullptr;  // lives as long as the process, like OpenSSL's own defaults
    std::call_once(once, [] {
        store = X509_STORE_new();
        if (!store) throw std::bad_alloc();
        // The default file (or SSL_CERT_FILE), parsed now; a missing bundle leaves only the directory lookup.
        if (X509_LOOKUP* file = X509_STORE_add_lookup(store, X509_LOOKUP_file()))
            X509_LOOKUP_load_file(file, nullptr, X509_FILETYPE_DEFAULT);
        add_default_directory(store);
        ERR_clear_error();
    });
    return store;
}

result<x509_store_ptr> trust_store_for(const std::string& extra_ca_file) {
    X509_STORE* system = load_system_trust_store();
    if (extra_ca_file.empty()) {
        X509_STORE_up_ref(system);
        return x509_store_ptr(system);
    }
    x509_store_ptr store(X509_STORE_new());
    if (!store) return failure(make_error_code(errc::crypto_error), "cannot allocate a certificate store");
    add_objects_of(system, store.get());
    add_default_directory(store.get());
    if (X509_STORE_load_file(store.get(), extra_ca_file.c_str()) != 1)
        return failure(make_error_code(errc::invalid_argument),
                       "cannot load trusted CA file " + extra_ca_file + ": " + load_failure_reason(extra_ca_file),
                       "is it a readable PEM file of CA certificates?");
    return store;
}

}  // namespace certman::net
