# oss_storage (docs/cluster-mode.md) and, through the include below, the OSS client it is built on.
include(${CMAKE_SOURCE_DIR}/src/cloud/alibaba/oss/sources.cmake)
target_sources(certman_io PRIVATE src/storage/oss/oss_storage.cpp src/storage/oss/oss_storage_config.cpp
               src/storage/oss/oss_credentials.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_io PRIVATE tests/storage/oss_storage_config_test.cpp)
  # The storage contract against the Alibaba emulator: run by tests/integration/test_oss_storage.py, which
  # starts the emulator and passes its address in CERTMAN_OSS_ENDPOINT.
  add_executable(certman_oss_contract tests/unit_main.cpp tests/storage/oss_storage_test.cpp)
  target_link_libraries(certman_oss_contract PRIVATE certman_io doctest::doctest)
  target_include_directories(certman_oss_contract PRIVATE ${CMAKE_SOURCE_DIR}/tests)
endif()
