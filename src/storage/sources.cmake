# Storage layer (issue 3 item 4, issue 8 item 3): key builder and bundle serialization are pure; the
# storage interface, dir_storage, the live export and leases are adapters.
target_sources(certman_pure PRIVATE src/storage/keys.cpp src/storage/bundle.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE tests/storage/keys_test.cpp tests/storage/bundle_test.cpp)
endif()
