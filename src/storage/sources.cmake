# Storage layer (docs/storage-layout.md, docs/cluster-mode.md): key builder and bundle serialization are pure; the
# storage interface, dir_storage, the live export and leases are adapters.
target_sources(certman_pure PRIVATE src/storage/keys.cpp src/storage/bundle.cpp)
target_sources(certman_io PRIVATE src/storage/posix_fs.cpp src/storage/dir_storage.cpp src/storage/live_export.cpp
               src/storage/lease.cpp src/storage/lease_keeper.cpp src/storage/lease_owner.cpp
               src/storage/account_key_store.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE tests/storage/keys_test.cpp tests/storage/bundle_test.cpp)
  target_include_directories(certman_unit_io PRIVATE ${CMAKE_SOURCE_DIR}/tests)
  target_sources(certman_unit_io PRIVATE tests/storage/dir_storage_test.cpp tests/storage/dir_storage_pool_test.cpp tests/storage/live_export_test.cpp
                 tests/storage/lease_keeper_test.cpp tests/storage/lease_owner_test.cpp
                 tests/storage/account_key_store_test.cpp)
  add_executable(certman_storage_torture tests/storage/torture_main.cpp)
  target_link_libraries(certman_storage_torture PRIVATE certman_io)
  target_include_directories(certman_storage_torture PRIVATE ${CMAKE_SOURCE_DIR}/tests)
endif()
