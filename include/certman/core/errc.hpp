// certman's error codes: one enum for the whole program, with its own error category, so that every
// fallible boundary can return result<T> (core/result.hpp) and callers compare errors by name.
#pragma once
#include <boost/system/error_code.hpp>
#include <type_traits>

namespace certman {

enum class errc {
    ok = 0,
    invalid_argument,     // a caller passed something malformed (bad base64, bad PEM...)
    not_found,            // a key, file or object does not exist
    already_exists,       // create-if-absent found something (lease held, object exists)
    io_error,             // the operating system refused a read or write
    parse_error,          // a document (JSON, TOML, DER, HTTP) could not be parsed
    protocol_error,       // a peer answered in a way the protocol does not allow
    timeout,              // a network step did not finish in time
    crypto_error,         // OpenSSL failed (key generation, signing, verification)
    acme_problem,         // the ACME server answered with a problem document
    cloud_error,          // a cloud API answered with an error envelope
    config_error,         // the configuration is invalid
    cancelled,            // the operation was stopped (shutdown)
    lease_lost,           // a storage lease is no longer ours
    unsupported,          // a feature the peer or the build does not offer
    corrupt_data,         // something certman stored earlier no longer parses (e.g. the ACME account key)
};

const boost::system::error_category& certman_category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), certman_category()};
}

}  // namespace certman

template <>
struct boost::system::is_error_code_enum<certman::errc> : std::true_type {};
