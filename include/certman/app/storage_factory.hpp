// Builds the storage backend that [storage] names (dir or oss), for the daemon, the one-shot commands and
// `certman status` alike, so that every command reads the same place the daemon writes.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include "certman/app/config.hpp"
#include "certman/core/blocking_pool.hpp"
#include "certman/storage/storage.hpp"

namespace certman::app {

// The backend's alternative picks the adapter: oss_storage_options → oss_storage on executor (no I/O yet: an
// unreachable bucket or bad credentials show up on the first operation, the failure's message saying
// why); dir_storage_options → dir_storage at path, its operations on `blocking` (null: inline, for one-shot
// commands; the daemon passes its pool, which outlives the storage).
// Throws std::runtime_error with an operator-facing message naming the [storage] field on a bad
// configuration (e.g. an invalid bucket name or prefix).
std::unique_ptr<storage::storage> open_storage(const storage_config& config, boost::asio::any_io_executor executor,
                                              blocking_pool* blocking = nullptr);

// The same storage for the public port's challenge lookups (challenge_fallback.hpp): one attempt per call,
// no retries, a short timeout (lookup_timeout), so that a slow bucket cannot hold requests for a minute.
inline constexpr std::chrono::milliseconds lookup_timeout{2000};
std::unique_ptr<storage::storage> open_lookup_storage(const storage_config& config, boost::asio::any_io_executor executor);

}  // namespace certman::app
