// A storage whose operations block the calling thread (dir_storage: open, write, fsync, rename; see
// include/certman/storage/dir_storage.hpp) moved onto the blocking pool, so that an fsync on a slow disk
// never delays the io thread (/health, challenges). Same contract as the storage it wraps
// (include/certman/storage/storage.hpp); its operations run one at a time, in the order they were started
// (a strand of the pool), because the wrapped object is not thread-safe. last_error() is the wrapped
// storage's message of the last failed operation, copied on the pool thread right after it.
#pragma once
#include <memory>
#include "certman/app/blocking_pool.hpp"
#include "certman/storage/storage.hpp"

namespace certman::app {

// `inner`'s operations must complete without suspending (they then run to completion on a pool thread).
std::unique_ptr<storage::storage> make_pooled_storage(std::unique_ptr<storage::storage> inner, blocking_pool& pool);

}  // namespace certman::app
