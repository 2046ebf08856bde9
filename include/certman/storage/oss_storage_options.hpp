// What [storage] kind = "oss" configures (oss_storage.hpp): the bucket shared by a cluster, where to reach it
// and which access key to sign with. Plain values, no I/O: app/config.hpp composes this into its storage
// variant; make_oss_storage validates it.
#pragma once
#include <string>
#include <string_view>

namespace certman::storage {

struct oss_storage_options {
    static constexpr std::string_view kind = "oss";  // the [storage] kind
    std::string bucket;                      // required
    std::string prefix;                      // "" or e.g. "certman/prod" (a '/' is appended)
    std::string endpoint;                    // "" = https://oss-<region>-internal.aliyuncs.com
    std::string region;                      // "" = derived from the endpoint
    // Credentials: access_key_id + access_key_secret_file, else the environment, else the ECS RAM role
    // (cloud/alibaba/credentials_provider.hpp; metadata_endpoint overrides the metadata service address).
    std::string access_key_id, access_key_secret_file, metadata_endpoint;
    bool server_side_encryption = false;     // x-oss-server-side-encryption: AES256 on every put

    bool operator==(const oss_storage_options&) const = default;
};

}  // namespace certman::storage
