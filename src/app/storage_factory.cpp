// [storage] → a storage backend (contract in include/certman/app/storage_factory.hpp). One visitor arm per
// alternative of storage_options: a new kind that has no arm here does not compile.
#include "certman/app/storage_factory.hpp"
#include "certman/core/variant_kind.hpp"
#include "certman/storage/dir_storage.hpp"
#include "certman/storage/oss_storage.hpp"

namespace certman::app {

std::unique_ptr<storage::storage> open_storage(const storage_config& config, boost::asio::any_io_executor executor,
                                              blocking_pool* blocking) {
    return std::visit(overloaded{
                          [&](const storage::dir_storage_options& o) { return storage::make_dir_storage(o, blocking); },
                          [&](const storage::oss_storage_options& o) {
                              return storage::make_oss_storage(std::move(executor), o);
                          },
                      },
                      config.backend);
}

std::unique_ptr<storage::storage> open_lookup_storage(const storage_config& config, boost::asio::any_io_executor executor) {
    return std::visit(overloaded{
                          [&](const storage::dir_storage_options& o) { return storage::make_dir_storage(o); },
                          [&](const storage::oss_storage_options& o) {
                              storage::oss_tuning quick;
                              quick.timeout = lookup_timeout;
                              quick.max_attempts = 1;
                              quick.check_versioning = false;  // the renewal manager's storage checks it
                              return storage::make_oss_storage(std::move(executor), o, quick);
                          },
                      },
                      config.backend);
}

}  // namespace certman::app
