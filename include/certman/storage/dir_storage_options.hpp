// What [storage] kind = "dir" configures (dir_storage.hpp): the state directory. Plain values, no I/O:
// app/config.hpp composes this into its storage variant.
#pragma once
#include <string>
#include <string_view>

namespace certman::storage {

struct dir_storage_options {
    static constexpr std::string_view kind = "dir";  // the [storage] kind
    std::string path = "/var/lib/certman";           // absolute

    bool operator==(const dir_storage_options&) const = default;
};

}  // namespace certman::storage
