// [storage] → a storage backend (contract in include/certman/app/storage_factory.hpp).
#include "certman/app/storage_factory.hpp"
#include "certman/storage/dir_storage.hpp"
#include "certman/storage/oss_storage.hpp"

namespace certman::app {

std::unique_ptr<storage::storage> open_storage(const storage_config& config, boost::asio::any_io_executor executor) {
    if (config.kind == "oss") return storage::make_oss_storage(std::move(executor), config);
    return storage::make_dir_storage(config.path);
}

std::unique_ptr<storage::storage> open_lookup_storage(const storage_config& config, boost::asio::any_io_executor executor) {
    if (config.kind == "oss") {
        storage::oss_tuning quick;
        quick.timeout = lookup_timeout;
        quick.max_attempts = 1;
        quick.check_versioning = false;  // the renewal manager's storage checks it; lookups only read
        return storage::make_oss_storage(std::move(executor), config, quick);
    }
    return storage::make_dir_storage(config.path);
}

}  // namespace certman::app
