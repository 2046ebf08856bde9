// oss_storage: the storage interface (storage.hpp) on an Alibaba Cloud OSS bucket, shared by every certman
// instance of a cluster (docs/cluster-mode.md). Each key is one object: "certificates/a.json" →
// "<prefix>certificates/a.json".
//
// How it keeps the contract:
//  - store = PutObject. OSS replaces an object atomically: readers see the old or the new body, never a mix.
//    A bundle (key + leaf + chain) is one object, so a certificate and its key become visible together.
//    Success means OSS acknowledged the write (durable, readable by every instance).
//  - create = PutObject with x-oss-forbid-overwrite: true; 409 FileAlreadyExists → errc::already_exists.
//    OSS decides which of several concurrent creators wins. A create whose earlier attempt timed out and
//    whose retry meets 409 reads the object back: its own bytes → success (oss_client.hpp).
//  - load = GetObject (404 NoSuchKey → errc::not_found); remove = DeleteObject (idempotent);
//    list = ListObjectsV2 over "<prefix><list prefix>", every page; objects whose names are not valid keys
//    (someone else's files under the prefix) are skipped.
//  - Versioned buckets ignore x-oss-forbid-overwrite (reference §4.4), which would make leases non-exclusive.
//    The first operation reads GetBucketVersioning; "Enabled" or "Suspended" → every operation fails with
//    errc::config_error and a message saying so. AccessDenied on that read (a RAM policy without
//    oss:GetBucketVersioning) is logged as a warning and the bucket is used as if unversioned.
//  - Errors: errc::cloud_error / errc::timeout / transport errors; the failure's message names the operation,
//    object, OSS Code and RequestId. Values (private keys) are never logged.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "certman/storage/oss_storage_options.hpp"
#include "certman/storage/storage.hpp"

namespace certman::cloud::alibaba {
class oss_client;
}

namespace certman::storage {

// Builds the storage from [storage] kind = "oss" (oss_storage_options.hpp): bucket (required), region (or derived
// from an oss-<region>[-internal].aliyuncs.com endpoint), endpoint (default
// https://oss-<region>-internal.aliyuncs.com; "http://127.0.0.1:port" for an emulator), prefix ("" or e.g.
// "certman/prod"; a '/' is appended), server_side_encryption (x-oss-server-side-encryption: AES256 on every put),
// credentials from access_key_id + access_key_secret_file, else the environment
// (ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET[/ ALIBABA_CLOUD_SECURITY_TOKEN]), else the ECS RAM role
// (credentials_provider.hpp; metadata_endpoint overrides the metadata service address). Does no I/O: missing
// credentials surface on the first request. Throws std::runtime_error with an operator-facing message (naming the
// [storage] field) on a bad configuration.
std::unique_ptr<storage> make_oss_storage(boost::asio::any_io_executor executor, const oss_storage_options& config);

// Request tuning for a storage used on a latency-sensitive path (the public port's challenge lookups).
struct oss_tuning {
    std::chrono::milliseconds timeout{15'000};  // per attempt
    int max_attempts = 4;
    bool check_versioning = true;
};
std::unique_ptr<storage> make_oss_storage(boost::asio::any_io_executor executor, const oss_storage_options& config,
                                          const oss_tuning& tuning);

// What a storage over a ready client needs beyond the client: the resolved prefix and put options.
struct oss_bucket_settings {
    std::string prefix;                  // normalized: "" or ending in '/'
    bool server_side_encryption = false;
    bool check_versioning = true;
};

// The same over a ready client (tests, benches). Throws std::runtime_error for an invalid prefix.
std::unique_ptr<storage> make_oss_storage(std::shared_ptr<cloud::alibaba::oss_client> client,
                                          oss_bucket_settings settings);

// "" → ""; "a/b" and "/a/b/" → "a/b/". Throws std::runtime_error for empty components, "." or "..",
// or characters outside [A-Za-z0-9._-/].
std::string normalize_oss_prefix(std::string_view prefix);

}  // namespace certman::storage
