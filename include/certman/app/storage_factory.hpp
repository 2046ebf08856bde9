// Builds the storage backend that [storage] names (dir or oss), for the daemon, the one-shot commands and
// `certman status` alike, so that every command reads the same place the daemon writes.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include "certman/app/config.hpp"
#include "certman/storage/storage.hpp"

namespace certman::app {

// kind "oss" → oss_storage on executor (no I/O yet: an unreachable bucket or bad credentials show up on the
// first operation, with storage::last_error() saying why); anything else → dir_storage at path.
// Throws std::runtime_error with an operator-facing message naming the [storage] field on a bad
// configuration (e.g. an invalid bucket name or prefix).
std::unique_ptr<storage::storage> open_storage(const storage_config& config, boost::asio::any_io_executor executor);

}  // namespace certman::app
