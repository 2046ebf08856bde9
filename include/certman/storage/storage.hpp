// The storage interface: where certman keeps accounts, certificate bundles, renewal state, leases and
// challenge tokens. Every backend (dir_storage here, oss_storage for a shared bucket) passes the same
// contract test suite (tests/storage/storage_contract.hpp). Asynchronous because a backend may do network
// I/O; a local backend may complete without suspending.
//
// Contract (every backend):
//  - Keys are built with keys.hpp only. A key or prefix that is not valid (keys.hpp is_valid_key /
//    is_valid_prefix) is refused with errc::invalid_argument before any I/O.
//  - load(key): the value last stored under key, byte for byte. Missing → errc::not_found.
//  - store(key, value): creates or replaces. Atomic: a concurrent or later reader sees the old value or the
//    new one in full, never a mixture or a truncation, even if the process is killed (kill -9, power loss
//    on a journaling filesystem) at any instant. When store returns success the value is durable.
//  - create(key, value): create-if-absent, atomic: when several callers (coroutines, processes, machines
//    sharing the backend) create the same key, exactly one succeeds and the others get
//    errc::already_exists; a killed creator leaves either nothing or the whole value. This is the lease
//    primitive (lease.hpp).
//  - remove(key): deletes; a missing key is success (idempotent, so releasing twice is harmless).
//  - list(prefix): every stored key that begins with prefix (plain string prefix; "" = everything), sorted,
//    recursively; never a backend's temporary object.
//  - Errors other than the above: errc::io_error (local filesystem) or errc::cloud_error / errc::timeout
//    (network backends).
//  - Every error is a failure (core/failure.hpp) returned in the result, by value: its message names the key,
//    path or object and the operating system's or service's reason (e.g. "store certificates/a.json: write
//    /var/lib/certman/certificates/.tmp-1-2: No space left on device"), so it stays right however many
//    coroutines use the backend at once. A refused key's message names the key. No message ever contains a
//    value's content.
//  - Values are opaque bytes; secrets inside them are never logged.
//  - Not thread-safe: used from one io_context thread (ARCHITECTURE.md), concurrent coroutines allowed.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>
#include "certman/core/result.hpp"

namespace certman::storage {

class storage {
public:
    virtual ~storage() = default;

    virtual boost::asio::awaitable<result<std::string>> load(std::string key) = 0;
    virtual boost::asio::awaitable<result<void>> store(std::string key, std::string value) = 0;
    virtual boost::asio::awaitable<result<void>> create(std::string key, std::string value) = 0;
    virtual boost::asio::awaitable<result<void>> remove(std::string key) = 0;
    virtual boost::asio::awaitable<result<std::vector<std::string>>> list(std::string prefix) = 0;

    // For logs: e.g. "dir:/var/lib/certman" or "oss:bucket/prefix".
    virtual std::string describe() const = 0;
};

}  // namespace certman::storage
