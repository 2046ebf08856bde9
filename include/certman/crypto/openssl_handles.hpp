// Owning handles for OpenSSL objects (std::unique_ptr with the matching *_free), so that every early return
// releases what it allocated, plus crypto_failure(): the one way crypto code turns an OpenSSL failure into
// an error_code. OpenSSL keeps a per-thread error queue; leaving entries in it makes a later, unrelated
// call look failed, so crypto_failure() drains it.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "certman/core/result.hpp"

namespace certman::crypto {

template <class T, void (*Free)(T*)>
struct openssl_deleter {
    void operator()(T* p) const noexcept { Free(p); }
};

using evp_pkey_ptr = std::unique_ptr<EVP_PKEY, openssl_deleter<EVP_PKEY, EVP_PKEY_free>>;
using evp_pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, openssl_deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using evp_md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, openssl_deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using x509_ptr = std::unique_ptr<X509, openssl_deleter<X509, X509_free>>;
using x509_req_ptr = std::unique_ptr<X509_REQ, openssl_deleter<X509_REQ, X509_REQ_free>>;
using x509_name_ptr = std::unique_ptr<X509_NAME, openssl_deleter<X509_NAME, X509_NAME_free>>;
using x509_extension_ptr = std::unique_ptr<X509_EXTENSION, openssl_deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using general_names_ptr = std::unique_ptr<GENERAL_NAMES, openssl_deleter<GENERAL_NAMES, GENERAL_NAMES_free>>;
using asn1_integer_ptr = std::unique_ptr<ASN1_INTEGER, openssl_deleter<ASN1_INTEGER, ASN1_INTEGER_free>>;
using bignum_ptr = std::unique_ptr<BIGNUM, openssl_deleter<BIGNUM, BN_free>>;
using ecdsa_sig_ptr = std::unique_ptr<ECDSA_SIG, openssl_deleter<ECDSA_SIG, ECDSA_SIG_free>>;
using ossl_param_bld_ptr = std::unique_ptr<OSSL_PARAM_BLD, openssl_deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ossl_param_ptr = std::unique_ptr<OSSL_PARAM, openssl_deleter<OSSL_PARAM, OSSL_PARAM_free>>;

// BIO_free returns int, so it needs a wrapper to fit the deleter template.
struct bio_deleter {
    void operator()(BIO* b) const noexcept { BIO_free_all(b); }
};
using bio_ptr = std::unique_ptr<BIO, bio_deleter>;

// A read-only memory BIO over `data` (which must outlive the BIO). Null when OpenSSL cannot allocate.
bio_ptr make_read_bio(std::string_view data);
// An empty, growable memory BIO for writing. Null when OpenSSL cannot allocate.
bio_ptr make_write_bio();
// Everything written to a memory BIO so far, as a string.
std::string bio_contents(BIO* bio);

// Clears OpenSSL's thread error queue and returns errc::crypto_error. Call it on every OpenSSL failure.
error_code crypto_failure() noexcept;
// Same, for failures that mean "the input was not what it claimed to be" (bad PEM, bad DER).
error_code parse_failure() noexcept;

}  // namespace certman::crypto
