// The root certificates a TLS client verifies servers against: the system's (OpenSSL's default file and
// directory, on Debian /etc/ssl/certs; SSL_CERT_FILE/SSL_CERT_DIR override them as for every OpenSSL program)
// plus, optionally, one extra PEM file (`[acme] trusted_ca`, a private CA such as Pebble's).
//
// Parsing the system bundle (about 140 certificates) takes 20-40 ms of CPU. Every HTTPS client certman builds
// (the ACME client, each SLB/ALB/NLB deployer, OSS storage, the credentials provider, the Alidns solver) used to
// parse it again, on the io thread, at start and on every reload: /health and the challenges waited meanwhile.
// Now the system roots are parsed once per process (load_system_trust_store(), which run_daemon calls before its
// listeners serve) and shared read-only by every client; a client with an extra file gets its own store that
// references the shared certificates (no parsing) plus the file's.
//
// Contract:
//  - load_system_trust_store() is thread-safe and idempotent; the first call parses, later calls return the same
//    store. A missing or unreadable system bundle is not an error (an empty store: only trusted_ca verifies).
//  - trust_store_for(extra) returns a store to hand to SSL_CTX_set1_cert_store: the shared system store when
//    `extra` is empty, else a new store with the system roots and the file's certificates. Errors: the file
//    cannot be read or holds no certificate, the message names the path and OpenSSL's reason.
//  - Stores are never modified once returned (OpenSSL's X509_STORE is safe for concurrent verification).
#pragma once
#include <memory>
#include <string>
#include <openssl/x509_vfy.h>
#include "certman/core/result.hpp"

namespace certman::net {

struct x509_store_deleter {
    void operator()(X509_STORE* s) const noexcept { X509_STORE_free(s); }
};
using x509_store_ptr = std::unique_ptr<X509_STORE, x509_store_deleter>;

// The process-wide system store (not owned by the caller).
X509_STORE* load_system_trust_store();

// A reference the caller owns (X509_STORE_up_ref on the shared store, or a new store).
result<x509_store_ptr> trust_store_for(const std::string& extra_ca_file);

}  // namespace certman::net
